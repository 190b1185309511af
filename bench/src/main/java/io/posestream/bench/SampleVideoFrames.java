package io.posestream.bench;

import io.posestream.ingest.JpegEncoder;
import io.posestream.ingest.source.FfmpegLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * JPEG frames of a video file made as ingest makes them (FFmpeg decode to BGR through JavaCV, OpenCV JPEG), as if
 * several cameras watched it: each camera gets a run of consecutive frames, {@code step} video frames apart (a
 * camera sampled at the video's rate / step), and the cameras' runs start at even intervals over the video, so the
 * scenes, and the number of people in them, vary between cameras while each camera's frames follow each other as a
 * live camera's do.
 *
 * @param cameras  per camera, its frames in order
 * @param width    frame width in pixels
 * @param height   frame height in pixels
 * @param step     video frames between two frames of one camera
 * @param videoFps the video's frame rate
 */
public record SampleVideoFrames(List<List<byte[]>> cameras, int width, int height, int step, double videoFps) {

    /** {@code perCamera} frames for each of {@code cameras} cameras; runs past the video's end go on from its start. */
    static SampleVideoFrames read(Path video, int cameras, int perCamera, int step, int jpegQuality)
            throws FrameGrabber.Exception {
        return read(video, cameras, perCamera, step, jpegQuality, true);
    }

    /**
     * The first {@code count} frames of {@code video}, every one (the whole video when it is shorter), as one camera,
     * for analyses that follow people from frame to frame.
     */
    public static SampleVideoFrames consecutive(Path video, int count, int jpegQuality) throws FrameGrabber.Exception {
        return read(video, 1, count, 1, jpegQuality, false);
    }

    private static SampleVideoFrames read(
            Path video, int cameras, int wantedPerCamera, int step, int jpegQuality, boolean wrap)
            throws FrameGrabber.Exception {
        if (!Files.isReadable(video)) {
            throw new IllegalStateException("Sample video " + video + " is missing; it comes with Debian's "
                    + "opencv-doc package (bash scripts/setup.sh installs it)");
        }
        FfmpegLog.install();
        int width;
        int height;
        double fps;
        Map<Integer, byte[]> wanted = new TreeMap<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                JpegEncoder encoder = new JpegEncoder(jpegQuality)) {
            grabber.start();
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 10;
            int length = Math.max(1, grabber.getLengthInVideoFrames());
            int perCamera = wrap ? wantedPerCamera : Math.min(wantedPerCamera, length);
            for (int c = 0; c < cameras; c++) {
                for (int i = 0; i < perCamera; i++) {
                    wanted.put(index(c, i, cameras, step, length), null);
                }
            }
            Frame frame;
            for (int index = 0; (frame = grabber.grabImage()) != null; index++) {
                if (wanted.containsKey(index)) {
                    wanted.put(index, encoder.encode(frame));
                }
            }
            List<List<byte[]>> runs = new ArrayList<>(cameras);
            for (int c = 0; c < cameras; c++) {
                List<byte[]> run = new ArrayList<>(perCamera);
                for (int i = 0; i < perCamera; i++) {
                    byte[] jpeg = wanted.get(index(c, i, cameras, step, length));
                    if (jpeg == null) {
                        throw new IllegalStateException("Frame " + index(c, i, cameras, step, length) + " of " + video
                                + " could not be decoded (the video has " + length + " frames)");
                    }
                    run.add(jpeg);
                }
                runs.add(List.copyOf(run));
            }
            return new SampleVideoFrames(List.copyOf(runs), width, height, step, fps);
        }
    }

    private static int index(int camera, int i, int cameras, int step, int length) {
        return (camera * length / cameras + i * step) % length;
    }

    /** Every frame, camera by camera within each position of the runs: the order a set of live cameras sends them. */
    public List<byte[]> jpegs() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < cameras.get(0).size(); i++) {
            for (List<byte[]> run : cameras) {
                all.add(run.get(i));
            }
        }
        return all;
    }

    /** Milliseconds between two frames of one camera. */
    long spacingMs() {
        return Math.round(step * 1000 / videoFps);
    }

    double meanKilobytes() {
        return jpegs().stream().mapToInt(b -> b.length).average().orElse(0) / 1000;
    }
}
