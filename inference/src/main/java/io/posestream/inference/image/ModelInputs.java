package io.posestream.inference.image;

import io.posestream.inference.geometry.AffineTransform;
import java.nio.ByteBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Builds model input tensors from source images: the models' contract is float32 {@code [N,H,W,3]} RGB 0..255, and
 * OpenCV does the pixel work (bilinear resize for the detector, {@code warpAffine} for the pose crops as HRNet's
 * evaluation does).
 */
public final class ModelInputs {
    private ModelInputs() {}

    /** The whole image resized (stretched) to {@code width x height}, written as RGB floats at {@code offset}. */
    public static void resized(SourceImage image, int width, int height, float[] batch, int offset) {
        try (Mat out = new Mat();
                Size size = new Size(width, height)) {
            opencv_imgproc.resize(image.bgr(), out, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            toRgbFloats(out, batch, offset);
        }
    }

    /**
     * The region of {@code transform} (source to crop coordinates) cut out to {@code width x height}, pixels outside
     * the image black as in HRNet, written as RGB floats at {@code offset}.
     */
    public static void crop(
            SourceImage image, AffineTransform transform, int width, int height, float[] batch, int offset) {
        double[] m = transform.coefficients();
        try (Mat matrix = new Mat(2, 3, opencv_core.CV_64F);
                Mat out = new Mat();
                Size size = new Size(width, height);
                Scalar black = new Scalar(0, 0, 0, 0)) {
            try (var indexer = matrix.<org.bytedeco.javacpp.indexer.DoubleIndexer>createIndexer()) {
                for (int i = 0; i < 6; i++) {
                    indexer.put(i / 3, i % 3, m[i]);
                }
            }
            opencv_imgproc.warpAffine(
                    image.bgr(), out, matrix, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT, black);
            toRgbFloats(out, batch, offset);
        }
    }

    /**
     * The image shrunk to {@code width x height} grey cells, each the mean of its block of pixels (OpenCV's area
     * interpolation), row-major: a cheap picture of where a frame changed.
     */
    public static byte[] thumbnail(SourceImage image, int width, int height) {
        try (Mat small = new Mat();
                Mat grey = new Mat();
                Size size = new Size(width, height)) {
            opencv_imgproc.resize(image.bgr(), small, size, 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.cvtColor(small, grey, opencv_imgproc.COLOR_BGR2GRAY);
            byte[] cells = new byte[width * height];
            grey.<ByteBuffer>createBuffer().get(cells);
            return cells;
        }
    }

    /** Copies an 8-bit BGR image into {@code batch} as RGB floats 0..255, row-major (NHWC). */
    static void toRgbFloats(Mat bgr, float[] batch, int offset) {
        if (!bgr.isContinuous()) {
            throw new IllegalStateException("expected a continuous image from OpenCV");
        }
        byte[] pixels = new byte[bgr.rows() * bgr.cols() * 3];
        ByteBuffer buffer = bgr.createBuffer();
        buffer.get(pixels);
        for (int i = 0, o = offset; i < pixels.length; i += 3) {
            batch[o++] = pixels[i + 2] & 0xff;
            batch[o++] = pixels[i + 1] & 0xff;
            batch[o++] = pixels[i] & 0xff;
        }
    }
}
