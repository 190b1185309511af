package io.posestream.bench;

import io.posestream.ingest.JpegEncoder;
import io.posestream.ingest.source.FfmpegLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * JPEG frames of a video file made as ingest makes them (FFmpeg decode to BGR through JavaCV, OpenCV JPEG), taken
 * evenly over the whole video so that the scenes, and the number of people in them, vary.
 *
 * @param jpegs  the encoded frames, in video order
 * @param width  frame width in pixels
 * @param height frame height in pixels
 * @param step   every {@code step}-th frame of the video was kept
 */
public record SampleVideoFrames(List<byte[]> jpegs, int width, int height, int step) {

    /** {@code count} frames of {@code video}; a video shorter than that is used from its start again. */
    static SampleVideoFrames read(Path video, int count, int jpegQuality) throws FrameGrabber.Exception {
        return read(video, count, jpegQuality, false);
    }

    /**
     * The first {@code count} frames of {@code video}, every one (the whole video when it is shorter), for analyses
     * that follow people from frame to frame.
     */
    public static SampleVideoFrames consecutive(Path video, int count, int jpegQuality) throws FrameGrabber.Exception {
        return read(video, count, jpegQuality, true);
    }

    private static SampleVideoFrames read(Path video, int count, int jpegQuality, boolean consecutive)
            throws FrameGrabber.Exception {
        if (!Files.isReadable(video)) {
            throw new IllegalStateException("Sample video " + video + " is missing; it comes with Debian's "
                    + "opencv-doc package (bash scripts/setup.sh installs it)");
        }
        FfmpegLog.install();
        List<byte[]> jpegs = new ArrayList<>(count);
        int width;
        int height;
        int step;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                JpegEncoder encoder = new JpegEncoder(jpegQuality)) {
            grabber.start();
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            step = consecutive ? 1 : Math.max(1, grabber.getLengthInVideoFrames() / count);
            Frame frame;
            for (int index = 0; jpegs.size() < count && (frame = grabber.grabImage()) != null; index++) {
                if (index % step == 0) {
                    jpegs.add(encoder.encode(frame));
                }
            }
        }
        if (jpegs.isEmpty()) {
            throw new IllegalStateException("No frame could be decoded from " + video);
        }
        for (int i = 0; !consecutive && jpegs.size() < count; i++) {
            jpegs.add(jpegs.get(i));
        }
        return new SampleVideoFrames(List.copyOf(jpegs), width, height, step);
    }

    double meanKilobytes() {
        return jpegs.stream().mapToInt(b -> b.length).average().orElse(0) / 1000;
    }
}
