package io.posestream.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real images for the tests: frames of OpenCV's pedestrian sample video {@code vtest.avi} as JPEGs made by Debian's
 * ffmpeg (as a camera's frames would be), and a real photo, both from the {@code opencv-doc} package.
 */
public final class SampleImages {
    public static final Path DATA = Path.of("/usr/share/doc/opencv-doc/examples/data");
    public static final Path VIDEO = DATA.resolve("vtest.avi");
    /** A football player, full body, from OpenCV's samples. */
    public static final Path PHOTO = DATA.resolve("messi5.jpg");

    private static final Path FRAMES = Path.of("target", "sample-frames").toAbsolutePath();
    private static final int EXTRACTED = 40;
    private static List<byte[]> frames;

    private SampleImages() {}

    /** The first {@code count} (at most 40) frames of the sample video, 2 per second of video, as JPEG bytes. */
    public static synchronized List<byte[]> videoFrames(int count) {
        if (frames == null) {
            frames = extract();
        }
        return frames.subList(0, Math.min(count, frames.size()));
    }

    public static byte[] photo() {
        return read(PHOTO);
    }

    private static List<byte[]> extract() {
        try {
            Files.createDirectories(FRAMES);
            Path last = FRAMES.resolve(String.format("frame-%03d.jpg", EXTRACTED));
            if (!Files.exists(last)) {
                Process ffmpeg = new ProcessBuilder(
                                "ffmpeg",
                                "-v",
                                "error",
                                "-y",
                                "-i",
                                VIDEO.toString(),
                                "-vf",
                                "fps=2",
                                "-frames:v",
                                Integer.toString(EXTRACTED),
                                "-q:v",
                                "3",
                                FRAMES.resolve("frame-%03d.jpg").toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(ffmpeg.getInputStream().readAllBytes());
                if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0 || !Files.exists(last)) {
                    throw new IllegalStateException("ffmpeg could not extract frames of " + VIDEO + ": " + output);
                }
            }
            List<byte[]> jpegs = new ArrayList<>();
            for (int i = 1; i <= EXTRACTED; i++) {
                jpegs.add(read(FRAMES.resolve(String.format("frame-%03d.jpg", i))));
            }
            return jpegs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
