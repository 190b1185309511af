package io.posestream.inference.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded frame: 8-bit BGR pixels in an OpenCV {@link Mat} (native memory, so close it). Decoding is OpenCV's
 * {@code imdecode}, which reads JPEG and PNG alike and returns an empty image instead of throwing on bad bytes. The
 * header is read first ({@link ImageHeader}): only JPEG and PNG are decoded, and only up to a number of pixels, so
 * the memory a frame costs is bounded before the decoder allocates it.
 */
public final class SourceImage implements AutoCloseable {
    private final Mat bgr;

    private SourceImage(Mat bgr) {
        this.bgr = bgr;
    }

    /**
     * Decodes an encoded JPEG or PNG image of at most {@code maxPixels} pixels.
     *
     * @param maxPixels the most pixels (width x height) a frame may have; a larger one is refused from its header,
     *                  not decoded (inference.max.image.pixels)
     * @throws UndecodableImageException naming what was wrong when the bytes are not such an image
     */
    public static SourceImage decode(byte[] encoded, long maxPixels) {
        ImageHeader header = ImageHeader.read(encoded);
        if (header.pixels() > maxPixels) {
            throw new UndecodableImageException(String.format(
                    java.util.Locale.ROOT,
                    "%s of %dx%d = %.1f megapixels is above the limit of %.1f megapixels "
                            + "(inference.max.image.pixels); not decoded",
                    header.format(),
                    header.width(),
                    header.height(),
                    header.pixels() / 1e6,
                    maxPixels / 1e6));
        }
        Mat bgr;
        try (BytePointer bytes = new BytePointer(encoded);
                Mat buffer = new Mat(1, encoded.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, bytes)) {
            bgr = opencv_imgcodecs.imdecode(buffer, opencv_imgcodecs.IMREAD_COLOR);
        } catch (RuntimeException e) {
            // OpenCV raises cv::Exception for some truncated streams; the message is the codec's.
            throw new UndecodableImageException("OpenCV could not decode " + encoded.length + " bytes of "
                    + header.format() + ": " + e.getMessage());
        }
        if (bgr == null || bgr.empty()) {
            if (bgr != null) {
                bgr.close();
            }
            throw new UndecodableImageException("OpenCV could not decode " + encoded.length + " bytes of "
                    + header.format() + " " + header.width() + "x" + header.height() + ": corrupt or truncated");
        }
        return new SourceImage(bgr);
    }

    /** Wraps pixels that are already decoded (8-bit, 3 channels, BGR); the image takes ownership. */
    public static SourceImage ofBgr(Mat bgr) {
        if (bgr.empty() || bgr.channels() != 3 || bgr.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel BGR image, found " + bgr.cols() + "x"
                    + bgr.rows() + " with " + bgr.channels() + " channel(s), depth " + bgr.depth());
        }
        return new SourceImage(bgr);
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    /** The pixels, owned by this image. */
    public Mat bgr() {
        return bgr;
    }

    @Override
    public void close() {
        bgr.close();
    }
}
