package io.posestream.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.inference.SampleImages;
import io.posestream.inference.UniformJpeg;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decoding with the pixel limit: what passes is decoded by OpenCV, what does not is refused from its header. */
class SourceImageTest {
    private static final long LIMIT = 40_000_000L;

    @Test
    void theGeneratedJpegIsARealJpegThatDecodesToUniformGrey() {
        try (SourceImage image = SourceImage.decode(UniformJpeg.of(64, 48), LIMIT)) {
            assertThat(image.width()).isEqualTo(64);
            assertThat(image.height()).isEqualTo(48);
            ByteBuffer pixels = image.bgr().createBuffer();
            byte[] bgr = new byte[64 * 48 * 3];
            pixels.get(bgr);
            for (byte value : bgr) {
                assertThat(value & 0xff).isBetween(127, 129);
            }
        }
    }

    @Test
    void anImageAboveTheLimitIsRefusedFromItsHeaderWithoutDecoding() {
        byte[] huge = UniformJpeg.of(16000, 16000);
        assertThatThrownBy(() -> SourceImage.decode(huge, LIMIT))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessage("JPEG of 16000x16000 = 256.0 megapixels is above the limit of 40.0 megapixels "
                        + "(inference.max.image.pixels); not decoded");
        // The same header on a body no decoder could read gets the same answer: nothing was decoded.
        byte[] headerOnly = Arrays.copyOf(huge, 400);
        assertThatThrownBy(() -> SourceImage.decode(headerOnly, LIMIT)).hasMessageContaining("not decoded");
        // Under a limit that allows it, the truncated body is what OpenCV refuses.
        assertThatThrownBy(() -> SourceImage.decode(Arrays.copyOf(UniformJpeg.of(640, 480), 300), LIMIT))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessageContaining("OpenCV could not decode");
    }

    @Test
    void anImageAtTheLimitIsDecoded() {
        byte[] photo = SampleImages.photo();
        try (SourceImage image = SourceImage.decode(photo, 548L * 342)) {
            assertThat(image.width()).isEqualTo(548);
        }
        assertThatThrownBy(() -> SourceImage.decode(photo, 548L * 342 - 1)).hasMessageContaining("not decoded");
    }
}
