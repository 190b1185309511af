package io.posestream.ingest;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** JPEG encoding of BGR frames through OpenCV's {@code imencode} (libjpeg-turbo). One per thread. */
public final class JpegEncoder implements AutoCloseable {
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final IntPointer params;

    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    }

    /** The frame as JPEG bytes; the frame's pixels are read in place, not copied. */
    public byte[] encode(Frame bgr) {
        Mat mat = converter.convert(bgr);
        try (BytePointer buffer = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".jpg", mat, buffer, params)) {
                throw new IllegalStateException("OpenCV imencode refused a " + bgr.imageWidth + "x" + bgr.imageHeight
                        + " frame with " + bgr.imageChannels + " channels");
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    @Override
    public void close() {
        params.close();
        converter.close();
    }
}
