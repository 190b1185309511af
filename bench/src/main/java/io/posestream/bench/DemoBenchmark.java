package io.posestream.bench;

import io.posestream.avro.FrameStatus;
import io.posestream.cli.ModelsDirOption;
import io.posestream.cli.SettingFlags;
import io.posestream.dashboard.CameraFigures;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.demo.DemoPipeline;
import io.posestream.inference.worker.InferenceMetrics;
import io.posestream.ingest.config.IngestConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo pipeline ({@link DemoPipeline}) measured end to end for each camera count: posed fps and persons per
 * camera, capture-to-dashboard latency, frames the worker skipped as stale, and the stage that limits it, derived
 * from the worker's measured stage times against the frame rate offered.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        modelTransformer = DemoBenchmark.Flags.class,
        description =
                "Run the demo pipeline (sample RTSP cameras -> ingest -> inference worker -> tracker -> dashboard "
                        + "on the embedded default) for each camera count and print per-camera posed fps, persons/s, "
                        + "end-to-end latency p50/p99 (capture -> event at the dashboard), frames skipped as stale and the "
                        + "bottleneck stage.")
public final class DemoBenchmark implements Callable<Integer> {
    /** The settings offered as flags; defaults and help come from their declaration. */
    static final SettingFlags FLAGS = SettingFlags.of(IngestConfig.definition()).flag("--fps", IngestConfig.CAMERA_FPS);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,4",
            description = "Camera counts to measure, " + "repeatable or a list (default: ${DEFAULT-VALUE}).")
    List<Integer> cameraCounts;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Measured seconds per camera count, after the " + "warm-up (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            description = "Seconds run once poses reach the dashboard "
                    + "(on every camera, or a minute after the first), before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    ModelsDirOption modelsDir;

    /** What one camera count measured. */
    private record Result(
            int cameras,
            double offeredFps,
            double publishedFps,
            Map<String, CameraFigures> figures,
            Map<String, Double> meanPersons,
            double posedFps,
            double staleFps,
            double busy,
            Map<String, Double> stageMs,
            String bottleneck) {}

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 600) {
            throw new IllegalArgumentException("--seconds must be 1..600, got " + seconds);
        }
        String machine = MachineInfo.describe();
        List<Result> results = new ArrayList<>();
        for (int cameras : cameraCounts) {
            results.add(measure(cameras));
        }

        System.out.println();
        System.out.println("bench demo on " + machine);
        System.out.printf(
                Locale.ROOT,
                "Demo pipeline on the embedded default: N sample RTSP cameras (vtest.avi, "
                        + "768x576) sampled at %.1f fps each -> ingest -> one inference worker (CenterNet + MoveNet-Thunder, "
                        + "CPU, stale after %d ms) -> tracker -> dashboard; %d s measured after %d s warm-up. Per-camera "
                        + "figures are the mean over cameras (p99: the worst camera); latency is capture -> pose event at the "
                        + "dashboard, stale-skipped frames included.%n",
                fps(),
                DemoPipeline.STALE_MS,
                seconds,
                warmup);
        BenchTable table = new BenchTable(
                "cameras",
                "offered fps (all)",
                "published fps (all)",
                "posed fps (all)",
                "posed fps / camera",
                "persons/s / camera",
                "latency p50 ms",
                "latency p99 ms",
                "skipped stale fps (all)",
                "inference busy",
                "bottleneck");
        for (Result r : results) {
            table.row(
                    r.cameras(),
                    r.offeredFps(),
                    r.publishedFps(),
                    r.posedFps(),
                    r.figures().values().stream()
                            .mapToDouble(CameraFigures::fpsPosed)
                            .average()
                            .orElse(0),
                    r.figures().values().stream()
                            .mapToDouble(f -> personsPerSecond(r, f))
                            .average()
                            .orElse(0),
                    r.figures().values().stream()
                            .filter(f -> f.latencyP50Ms() >= 0)
                            .mapToDouble(CameraFigures::latencyP50Ms)
                            .average()
                            .orElse(-1),
                    r.figures().values().stream()
                            .mapToDouble(CameraFigures::latencyP99Ms)
                            .max()
                            .orElse(-1),
                    r.staleFps(),
                    String.format(Locale.ROOT, "%.0f%%", r.busy() * 100),
                    r.bottleneck());
        }
        table.print(System.out);
        System.out.println();
        System.out.println("Per camera (the dashboard's figures over the measured window; persons = mean tracked "
                + "persons per event):");
        BenchTable perCamera = new BenchTable(
                "cameras", "camera", "in fps", "posed fps", "persons", "persons/s", "latency p50 ms", "latency p99 ms");
        for (Result r : results) {
            for (CameraFigures f : r.figures().values()) {
                perCamera.row(
                        r.cameras(),
                        f.cameraId(),
                        f.fpsIn(),
                        f.fpsPosed(),
                        r.meanPersons().getOrDefault(f.cameraId(), 0.0),
                        personsPerSecond(r, f),
                        f.latencyP50Ms(),
                        f.latencyP99Ms());
            }
        }
        perCamera.print(System.out);
        System.out.println();
        BenchTable stages = new BenchTable(
                "cameras",
                "posed fps (all)",
                "decode ms",
                "detect ms",
                "crop ms",
                "pose ms",
                "heatmap decode ms",
                "sum ms/frame",
                "capacity fps");
        for (Result r : results) {
            double sum = r.stageMs().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            stages.row(
                    r.cameras(),
                    r.posedFps(),
                    r.stageMs().get("decode"),
                    r.stageMs().get("detect"),
                    r.stageMs().get("crop"),
                    r.stageMs().get("pose"),
                    r.stageMs().get("heatmap_decode"),
                    sum,
                    sum > 0 ? 1000 / sum : 0.0);
        }
        System.out.println("Inference worker stage times, mean per posed frame over the measured window (batched "
                + "stages shared out over the batch's frames):");
        stages.print(System.out);
        return 0;
    }

    private static double personsPerSecond(Result r, CameraFigures f) {
        return f.fpsPosed() * r.meanPersons().getOrDefault(f.cameraId(), 0.0);
    }

    private double fps() {
        return ((Number) FLAGS.values(spec).get(IngestConfig.CAMERA_FPS)).doubleValue();
    }

    private Result measure(int cameras) throws Exception {
        System.out.println("== " + cameras + " camera(s)");
        // The dashboard's figures window is the measured window, so its rates and percentiles cover exactly that.
        Map<String, Object> dashboard = Map.of(DashboardConfig.FIGURES_WINDOW_MS, seconds * 1000L);
        try (DemoPipeline pipeline = DemoPipeline.start(
                new DemoPipeline.Options(cameras, fps(), 0, 0, modelsDir.resolve(), dashboard), System.out)) {
            int posing = pipeline.awaitPoses(cameras);
            System.out.println("Poses reach the dashboard on " + posing + " of " + cameras + " camera(s); warming up "
                    + warmup + " s");
            pipeline.runFor(warmup * 1000L);

            InferenceMetrics meters = pipeline.worker().metrics();
            long published0 = published(pipeline);
            double posed0 = meters.frames(FrameStatus.POSED);
            double stale0 = meters.frames(FrameStatus.SKIPPED_STALE);
            Map<String, double[]> stages0 = stageTotals(meters);
            long start = System.nanoTime();
            Map<String, double[]> personSamples = new LinkedHashMap<>();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                pipeline.runFor(Math.min(1000, (end - System.nanoTime()) / 1_000_000 + 1));
                for (CameraFigures f : pipeline.dashboard().figures().values()) {
                    double[] sum = personSamples.computeIfAbsent(f.cameraId(), id -> new double[2]);
                    sum[0] += f.persons();
                    sum[1]++;
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            Map<String, CameraFigures> figures =
                    new TreeMap<>(pipeline.dashboard().figures());
            Map<String, Double> meanPersons = new LinkedHashMap<>();
            personSamples.forEach((id, s) -> meanPersons.put(id, s[0] / s[1]));

            double publishedFps = (published(pipeline) - published0) / elapsed;
            double posedFrames = meters.frames(FrameStatus.POSED) - posed0;
            double posedFps = posedFrames / elapsed;
            double staleFps = (meters.frames(FrameStatus.SKIPPED_STALE) - stale0) / elapsed;
            Map<String, double[]> stages1 = stageTotals(meters);
            Map<String, Double> stageMs = new LinkedHashMap<>();
            double busyMs = 0;
            for (String stage : meters.poseStages().keySet()) {
                double totalMs = stages1.get(stage)[1] - stages0.get(stage)[1];
                double count = stages1.get(stage)[0] - stages0.get(stage)[0];
                stageMs.put(stage, count > 0 ? totalMs / count : 0.0);
                busyMs += totalMs;
            }
            double busy = busyMs / (elapsed * 1000);
            double offered = cameras * fps();
            Result result = new Result(
                    cameras,
                    offered,
                    publishedFps,
                    figures,
                    meanPersons,
                    posedFps,
                    staleFps,
                    busy,
                    stageMs,
                    bottleneck(offered, publishedFps, posedFps, staleFps, busy, stageMs));
            System.out.println(pipeline.statusLine());
            return result;
        }
    }

    /**
     * The stage that limits throughput, from measured numbers: ingest when it publishes less than offered; the
     * inference worker when it is busy nearly all the time or skips frames as stale; otherwise none (the pipeline
     * keeps up and latency is the sum of the stages).
     */
    static String bottleneck(
            double offeredFps,
            double publishedFps,
            double posedFps,
            double staleFps,
            double busy,
            Map<String, Double> stageMs) {
        double perFrame =
                stageMs.values().stream().mapToDouble(Double::doubleValue).sum();
        String inference = String.format(
                Locale.ROOT,
                "inference (detector %.0f ms + pose %.0f ms + other %.0f ms "
                        + "per frame = %.1f fps max vs %.1f fps arriving)",
                stageMs.get("detect"),
                stageMs.get("pose"),
                perFrame - stageMs.get("detect") - stageMs.get("pose"),
                perFrame > 0 ? 1000 / perFrame : 0,
                publishedFps);
        if (publishedFps < 0.9 * offeredFps) {
            return String.format(Locale.ROOT, "ingest (publishes %.1f of %.1f fps offered)", publishedFps, offeredFps);
        }
        if (busy > 0.85 || staleFps > 0.05 * (posedFps + staleFps)) {
            return inference;
        }
        return String.format(
                Locale.ROOT, "none: keeps up (inference busy %.0f%%, %.0f ms per frame)", busy * 100, perFrame);
    }

    private static long published(DemoPipeline pipeline) {
        return pipeline.ingest().cameraIds().stream()
                .mapToLong(id -> pipeline.ingest().metrics(id).framesPublished())
                .sum();
    }

    /** Per pose stage: {count, total ms} of the worker's stage timer. */
    private static Map<String, double[]> stageTotals(InferenceMetrics meters) {
        Map<String, double[]> totals = new LinkedHashMap<>();
        meters.poseStages()
                .forEach((stage, timer) ->
                        totals.put(stage, new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)}));
        return totals;
    }
}
