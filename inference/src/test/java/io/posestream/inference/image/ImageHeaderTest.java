package io.posestream.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.inference.SampleImages;
import io.posestream.inference.UniformJpeg;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Image sizes from headers alone, on real files and on hand-made broken ones. */
class ImageHeaderTest {
    @Test
    void readsTheSizeOfRealJpegAndPngFiles() throws Exception {
        assertThat(ImageHeader.read(SampleImages.photo())).isEqualTo(new ImageHeader("JPEG", 548, 342));
        assertThat(ImageHeader.read(Files.readAllBytes(SampleImages.DATA.resolve("basketball1.png"))))
                .isEqualTo(new ImageHeader("PNG", 640, 480));
        byte[] frame = SampleImages.videoFrames(1).get(0);
        assertThat(ImageHeader.read(frame)).isEqualTo(new ImageHeader("JPEG", 768, 576));
    }

    @Test
    void readsTheSizeOfAHugeJpegFromItsFirstBytes() {
        byte[] huge = UniformJpeg.of(16000, 16000);
        assertThat(huge.length).isBetween(1_400_000, 1_600_000);
        assertThat(ImageHeader.read(Arrays.copyOf(huge, 200)))
                .isEqualTo(new ImageHeader("JPEG", 16000, 16000))
                .extracting(ImageHeader::pixels)
                .isEqualTo(256_000_000L);
    }

    @Test
    void findsTheFrameHeaderAfterOtherSegmentsAndFillBytes() {
        byte[] plain = UniformJpeg.of(40, 30);
        // SOI, an APP0 segment, fill bytes before the next marker, then the rest of the image.
        byte[] app0 = {(byte) 0xff, (byte) 0xe0, 0, 6, 'J', 'F', 'I', 'F', (byte) 0xff, (byte) 0xff};
        byte[] withApp = new byte[plain.length + app0.length];
        System.arraycopy(plain, 0, withApp, 0, 2);
        System.arraycopy(app0, 0, withApp, 2, app0.length);
        System.arraycopy(plain, 2, withApp, 2 + app0.length, plain.length - 2);
        assertThat(ImageHeader.read(withApp)).isEqualTo(new ImageHeader("JPEG", 40, 30));
    }

    @Test
    void namesWhatIsWrongWithBytesThatHaveNoSize() {
        assertThatThrownBy(() -> ImageHeader.read(new byte[0])).hasMessage("image is empty");
        assertThatThrownBy(() -> ImageHeader.read("GIF89a...".getBytes()))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessageContaining("not a JPEG or PNG")
                .hasMessageContaining("47 49");
        byte[] jpeg = UniformJpeg.of(40, 30);
        assertThatThrownBy(() -> ImageHeader.read(Arrays.copyOf(jpeg, 10)))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessageContaining("truncated");
        byte[] scanFirst = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2};
        assertThatThrownBy(() -> ImageHeader.read(scanFirst)).hasMessageContaining("no frame header before its scan");
        byte[] png = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 30);
        assertThatThrownBy(() -> ImageHeader.read(png)).hasMessageContaining("IHDR");
    }
}
