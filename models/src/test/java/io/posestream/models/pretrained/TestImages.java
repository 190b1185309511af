package io.posestream.models.pretrained;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Test images decoded with ImageIO and turned into the contract's RGB 0..255 float tensors. */
final class TestImages {
    /** Debian opencv-doc's sample photo: one footballer, full body, on grass. */
    static final Path MESSI = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");

    private TestImages() {}

    static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("ImageIO cannot decode " + file + " (install Debian's opencv-doc: scripts/setup.sh)");
        }
        return image;
    }

    /** The region (x, y, w, h) of {@code image} scaled to {@code size} x {@code size}, outside filled black. */
    static BufferedImage crop(BufferedImage image, double x, double y, double w, double h, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.scale(size / w, size / h);
        g.translate(-x, -y);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Integer-valued RGB 0..255 as floats, HWC order. */
    static float[] rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int i = (y * w + x) * 3;
                out[i] = (p >> 16) & 0xff;
                out[i + 1] = (p >> 8) & 0xff;
                out[i + 2] = p & 0xff;
            }
        }
        return out;
    }

    static TFloat32 tensor(float[] hwc, int n, int h, int w) {
        return TFloat32.tensorOf(Shape.of(n, h, w, 3), DataBuffers.of(hwc, true, false));
    }

    static float[] values(TFloat32 tensor) {
        float[] out = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
