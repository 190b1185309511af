package io.posestream.ingest;

import io.posestream.ingest.camera.SampleRtspCamera;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test videos made from vtest.avi with the ffmpeg CLI, once per build, under target/test-media. */
final class TestMedia {
    static final Path DIR = Path.of("target", "test-media").toAbsolutePath();

    private TestMedia() {}

    /** 20 s of vtest as H.264 in MPEG-TS (200 frames, 768x576, key frame every 20). */
    static synchronized Path h264Clip() {
        return make("clip.ts", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-g", "20", "-f", "mpegts");
    }

    /** 3 s of vtest as H.264 in MP4, for a file camera beside the others. */
    static synchronized Path shortMp4() {
        return make("short.mp4", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart");
    }

    /** An AVI whose video FourCC names no codec FFmpeg knows. */
    static synchronized Path unsupportedCodec() {
        Path target = DIR.resolve("unsupported.avi");
        if (Files.exists(target)) {
            return target;
        }
        Path copy = make("copy.avi", "-t", "2", "-c:v", "copy");
        try {
            byte[] bytes = Files.readAllBytes(copy);
            // The FourCC sits in the stream header and the BITMAPINFOHEADER near the start of the file.
            for (int i = 0; i + 4 <= Math.min(bytes.length, 8192); i++) {
                String tag = new String(bytes, i, 4, StandardCharsets.US_ASCII);
                if (tag.equalsIgnoreCase("div3") || tag.equalsIgnoreCase("mp43")) {
                    System.arraycopy("XXXX".getBytes(StandardCharsets.US_ASCII), 0, bytes, i, 4);
                }
            }
            Files.write(target, bytes);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The H.264 clip with 5% of its bytes overwritten with garbage in three places, and its last 10% cut off:
     * FFmpeg resynchronises on MPEG-TS packets and recovers at the next key frames.
     */
    static synchronized Path corruptClip() {
        Path target = DIR.resolve("corrupt.ts");
        if (Files.exists(target)) {
            return target;
        }
        try {
            byte[] bytes = Files.readAllBytes(h264Clip());
            java.util.Random random = new java.util.Random(42);
            int cut = bytes.length * 9 / 10;
            for (double at : new double[] {0.2, 0.45, 0.7}) {
                int start = (int) (bytes.length * at);
                for (int i = start; i < start + bytes.length / 60; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            Files.write(target, java.util.Arrays.copyOf(bytes, cut));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path make(String name, String... args) {
        Path target = DIR.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(DIR);
            Path partial = DIR.resolve("partial-" + name);
            List<String> command = new ArrayList<>(
                    List.of("ffmpeg", "-v", "error", "-y", "-i", SampleRtspCamera.DEFAULT_VIDEO.toString()));
            command.addAll(List.of(args));
            command.add(partial.toString());
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed making " + name + ": " + output);
            }
            Files.move(partial, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
