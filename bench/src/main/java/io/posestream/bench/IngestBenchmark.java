package io.posestream.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.demo.EmbeddedStack;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Decode speed of JavaCV next to the ffmpeg CLI on the same H.264 file with the same thread count, then the whole
 * ingest path (decode + sample + JPEG + produce to the embedded broker) with its per-stage times.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "JavaCV decode fps vs the ffmpeg CLI (-benchmark -f null -, same file, same threads) as a ratio, "
                + "then full ingest path fps with a per-stage breakdown, for 768x576 and 1080p H.264 made from "
                + "vtest.avi with the ffmpeg CLI (cached under --media-dir). With --connect: cameras per core of a "
                + "Kafka Connect worker next to the ingest process, and failover time after a worker's SIGKILL.")
public final class IngestBenchmark implements Callable<Integer> {
    private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

    @Option(
            names = "--decode-threads",
            description = "Decoder threads for both JavaCV and ffmpeg (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(
            names = "--repetitions",
            description = "Runs of each measurement; medians are shown " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int repetitions;

    @Option(
            names = "--media-dir",
            description = "Where the generated H.264 files are cached " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = ".posestream/bench")
    Path mediaDir;

    @Option(
            names = "--jpeg-quality",
            description = "JPEG quality of the ingest path (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + CameraConfig.DEFAULT_JPEG_QUALITY)
    int jpegQuality;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--connect",
            description = "Instead: cameras per core of a posestream connect worker next to the ingest process on "
                    + "the same cameras, and the failover time from a worker's SIGKILL to its cameras' next frame.")
    boolean connect;

    @Option(
            names = "--connect-cameras",
            split = ",",
            description = "--connect: cameras per process for the 768x576 and the 1080p video; about the same "
                    + "fraction of a core each (0.5-0.7 in ingest here), so that a worker's fixed cost (about 0.02 "
                    + "cores for an idle worker) is shared as on a worker with work (default: ${DEFAULT-VALUE}).",
            defaultValue = "24,8")
    List<Integer> connectCameras;

    @Option(
            names = "--window-seconds",
            description = "--connect: measuring window after the warm-up (default: ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int windowSeconds;

    @Option(
            names = "--warmup-seconds",
            description = "--connect: warm-up before measuring, long enough for the JIT to finish compiling a Connect "
                    + "worker (default: ${DEFAULT-VALUE}).",
            defaultValue = "90")
    int warmupSeconds;

    private record Clip(String name, Path file) {}

    @Override
    public Integer call() throws Exception {
        String machine = MachineInfo.describe();
        List<Clip> clips = List.of(
                new Clip("768x576", media("vtest-768x576.mp4")),
                new Clip("1920x1080", media("vtest-1080p.mp4", "-vf", "scale=1920:1080")));
        if (connect) {
            if (connectCameras.size() != clips.size()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--connect-cameras takes one count per video (768x576, 1080p), got " + connectCameras);
            }
            System.out.println("bench ingest --connect on " + machine);
            new ConnectBenchmark(
                            Duration.ofSeconds(warmupSeconds),
                            Duration.ofSeconds(windowSeconds),
                            mediaDir.resolve("connect"))
                    .run(
                            IntStream.range(0, clips.size())
                                    .mapToObj(i -> new ConnectBenchmark.Clip(
                                            clips.get(i).name(), clips.get(i).file(), connectCameras.get(i)))
                                    .toList(),
                            System.out);
            return 0;
        }

        BenchTable decode = new BenchTable(
                "video",
                "frames",
                "threads",
                "ffmpeg CLI fps",
                "JavaCV fps (YUV)",
                "ratio JavaCV/ffmpeg",
                "JavaCV fps (BGR, as ingest)");
        for (Clip clip : clips) {
            decodeOnce(clip.file(), true); // warm-up: JIT, native libraries, page cache
            List<Double> cli = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<Double> bgr = new ArrayList<>();
            int frames = 0;
            for (int rep = 0; rep < repetitions; rep++) {
                double[] rawRun = decodeOnce(clip.file(), true);
                frames = (int) rawRun[0];
                raw.add(rawRun[0] / rawRun[1]);
                cli.add(frames / ffmpegSeconds(clip.file()));
                double[] bgrRun = decodeOnce(clip.file(), false);
                bgr.add(bgrRun[0] / bgrRun[1]);
            }
            double cliFps = median(cli);
            double rawFps = median(raw);
            decode.row(
                    clip.name(), frames, threads, cliFps, rawFps, String.format("%.2f", rawFps / cliFps), median(bgr));
        }

        BenchTable path = new BenchTable(
                "video",
                "frames",
                "ingest fps",
                "decode ms",
                "JPEG ms",
                "send ms",
                "ack latency ms",
                "JPEG KB",
                "wall ms/frame");
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            for (Clip clip : clips) {
                ingestOnce(stack, clip); // warm-up
                List<double[]> runs = new ArrayList<>();
                for (int rep = 0; rep < repetitions; rep++) {
                    runs.add(ingestOnce(stack, clip));
                }
                runs.sort((a, b) -> Double.compare(a[1], b[1]));
                double[] median = runs.get(runs.size() / 2);
                path.row(
                        clip.name(),
                        (long) median[0],
                        median[0] / median[1],
                        median[2],
                        median[3],
                        median[4],
                        median[5],
                        median[6],
                        median[1] * 1000 / median[0]);
            }
        }

        System.out.println("bench ingest on " + machine);
        System.out.println("Decode: the same H.264 file (libx264 veryfast from vtest.avi), " + threads
                + " decoder threads in both; ffmpeg CLI = " + ffmpegVersion()
                + " `-benchmark -threads N -i FILE -an -f null -` (rtime); JavaCV 1.5.13 (FFmpeg 8.0.1) grabImage() "
                + "loop without (YUV) and with (BGR) the colour conversion ingest needs; median of " + repetitions
                + " runs.");
        decode.print(System.out);
        System.out.println();
        System.out.println("Ingest path: one file camera, every frame kept (fps above the source's), not paced, "
                + "JPEG q" + jpegQuality + ", Avro Frame records through the registry serde to the embedded broker "
                + "(acks=all, idempotent, linger 0); times are means per frame, stages run one after the other on "
                + "the camera thread except the ack; median of " + repetitions + " runs.");
        path.print(System.out);
        return 0;
    }

    /** Frames and seconds of one JavaCV pass; raw = no pixel-format conversion (what ffmpeg -f null does). */
    private double[] decodeOnce(Path file, boolean raw) throws FrameGrabber.Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            if (raw) {
                grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            }
            grabber.setVideoOption("threads", Integer.toString(threads));
            grabber.start();
            long start = System.nanoTime();
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            return new double[] {frames, (System.nanoTime() - start) / 1e9};
        }
    }

    private double ffmpegSeconds(Path file) throws IOException, InterruptedException {
        String output = run(List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostats",
                "-benchmark",
                "-threads",
                Integer.toString(threads),
                "-i",
                file.toString(),
                "-an",
                "-f",
                "null",
                "-"));
        Matcher matcher = RTIME.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("ffmpeg -benchmark printed no rtime for " + file + ": " + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** frames, wall seconds, decode ms, JPEG ms, send ms, ack latency ms, JPEG KB. */
    private double[] ingestOnce(EmbeddedStack stack, Clip clip) throws Exception {
        String topic = "bench-ingest-" + UUID.randomUUID();
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(admin, List.of(Topics.dataTopic(topic, 1, (short) 1)));
        }
        CameraConfig camera = CameraConfig.builder("bench", clip.file().toString())
                .fps(240)
                .realtime(false)
                .decoderThreads(threads)
                .jpegQuality(jpegQuality)
                .build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long start = System.nanoTime();
        CameraMetrics metrics;
        try (IngestService ingest =
                new IngestService(List.of(camera), stack.clientConfig(), topic, registry, Map.of()).start()) {
            if (!ingest.awaitCameras(TimeUnit.MINUTES.toMillis(10))) {
                throw new IllegalStateException("bench ingest: " + clip.name() + " did not finish in 10 minutes");
            }
            metrics = ingest.metrics("bench");
        } // close() flushes: every frame is acknowledged before the clock stops
        double seconds = (System.nanoTime() - start) / 1e9;
        long frames = metrics.framesPublished();
        if (frames == 0 || metrics.framesDropped() > 0) {
            throw new IllegalStateException("bench ingest: " + clip.name() + " published " + frames
                    + " frames, dropped " + metrics.framesDropped());
        }
        double kb = metrics.publishedBytes() / 1000.0 / frames;
        return new double[] {
            frames,
            seconds,
            meanMs(metrics.decodeTime()),
            meanMs(metrics.encodeTime()),
            meanMs(metrics.sendTime()),
            meanMs(metrics.publishLatency()),
            kb
        };
    }

    private static double meanMs(Timer timer) {
        return timer.mean(TimeUnit.NANOSECONDS) / 1e6;
    }

    private Path media(String name, String... filter) throws IOException, InterruptedException {
        Path file = mediaDir.resolve(name).toAbsolutePath();
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling("partial-" + name);
        List<String> command = new ArrayList<>(
                List.of("ffmpeg", "-v", "error", "-y", "-i", SampleRtspCamera.DEFAULT_VIDEO.toString()));
        command.addAll(Arrays.asList(filter));
        command.addAll(
                List.of("-an", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", partial.toString()));
        System.err.println("bench ingest: making " + file + " with the ffmpeg CLI (once)");
        run(command);
        Files.move(partial, file);
        return file;
    }

    private static String ffmpegVersion() {
        try {
            String first =
                    run(List.of("ffmpeg", "-version")).lines().findFirst().orElse("ffmpeg");
            return first.replaceFirst(" Copyright.*", "");
        } catch (IOException | InterruptedException e) {
            return "ffmpeg";
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot run " + command.get(0) + " (install Debian's ffmpeg: scripts/setup.sh): " + e.getMessage(),
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
