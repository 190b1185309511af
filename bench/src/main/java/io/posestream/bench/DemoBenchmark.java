package io.posestream.bench;

import io.posestream.avro.FrameStatus;
import io.posestream.cli.ModelsDirOption;
import io.posestream.cli.SettingFlags;
import io.posestream.dashboard.CameraFigures;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.demo.DemoPipeline;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceMetrics;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.IngestConfig;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
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
 * camera, capture-to-dashboard latency, the share of frames the worker skipped as stale, how often the detector ran,
 * how busy each inference stage kept the worker, and the stage that limits it. With {@code --baseline} each camera
 * count is also run with the detector on every frame (no tracking-driven crops), in the same run, for the ratio.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        modelTransformer = DemoBenchmark.Flags.class,
        description =
                "Run the demo pipeline (sample RTSP cameras -> ingest -> inference worker -> tracker -> dashboard "
                        + "on the embedded default) for each camera count and print per-camera posed fps, persons/s, "
                        + "end-to-end latency p50/p99 (capture -> event at the dashboard), the share of frames skipped "
                        + "as stale, the detector's share of frames, each inference stage's share of the wall time and "
                        + "the bottleneck; with --baseline also with the detector on every frame, for the ratio.")
public final class DemoBenchmark implements Callable<Integer> {
    /** The settings offered as flags; defaults and help come from their declaration. */
    static final SettingFlags FLAGS = SettingFlags.of(IngestConfig.definition()).flag("--fps", IngestConfig.CAMERA_FPS);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    private static final String TRACKING = "tracking-driven";
    private static final String EVERY_FRAME = "every frame";
    /** The worker's default pose batch and frame batch: the raw models are timed at the batches the demo uses. */
    private static final int RAW_POSE_BATCH = 16;

    private static final List<Integer> RAW_BATCHES = List.of(1, 4, 8, RAW_POSE_BATCH);
    private static final int RAW_CROPS = 64;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,2,4,8",
            description = "Camera counts to measure, repeatable or a list (default: ${DEFAULT-VALUE}).")
    List<Integer> cameraCounts;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Measured seconds per camera count, after the warm-up (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            description = "Seconds run once poses reach the dashboard "
                    + "(on every camera, or a minute after the first), before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--baseline",
            description = "Also run each camera count with the detector on every frame "
                    + "(inference.detector.interval.frames=1, as before tracking-driven crops), right before the run "
                    + "with the worker's settings, and print the ratio.")
    boolean baseline;

    @Mixin
    ModelsDirOption modelsDir;

    /** Sample frames for the raw model timings, read once. */
    private List<byte[]> rawFrames;

    /** What one camera count measured with one way of finding persons. */
    private record Result(
            int cameras,
            String crops,
            double offeredFps,
            double publishedFps,
            Map<String, CameraFigures> figures,
            Map<String, Double> meanPersons,
            double posedFps,
            double staleFps,
            double detectedFps,
            Map<String, Double> stageMs,
            Map<String, Double> stageBusy,
            double cropsPerPosed,
            RawModelTimes raw,
            String bottleneck) {
        double busy() {
            return stageBusy.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double posedPerCamera() {
            return figures.values().stream()
                    .mapToDouble(CameraFigures::fpsPosed)
                    .average()
                    .orElse(0);
        }

        double personsPerCamera() {
            return figures.values().stream()
                    .mapToDouble(f -> f.fpsPosed() * meanPersons.getOrDefault(f.cameraId(), 0.0))
                    .average()
                    .orElse(0);
        }

        double latencyP50() {
            return figures.values().stream()
                    .filter(f -> f.latencyP50Ms() >= 0)
                    .mapToDouble(CameraFigures::latencyP50Ms)
                    .average()
                    .orElse(-1);
        }

        double latencyP99() {
            return figures.values().stream()
                    .mapToDouble(CameraFigures::latencyP99Ms)
                    .max()
                    .orElse(-1);
        }

        double skippedShare() {
            return posedFps + staleFps > 0 ? staleFps / (posedFps + staleFps) : 0;
        }

        double detectedShare() {
            return posedFps > 0 ? detectedFps / posedFps : 0;
        }

        /** Posed frames/s the models alone allow for this run's work: its detector share and crops per frame. */
        double rawFps() {
            return raw.framesPerSecond(RAW_POSE_BATCH, detectedShare(), cropsPerPosed);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 600) {
            throw new IllegalArgumentException("--seconds must be 1..600, got " + seconds);
        }
        String machine = MachineInfo.describe();
        List<Result> results = new ArrayList<>();
        for (int cameras : cameraCounts) {
            if (baseline) {
                results.add(measure(cameras, EVERY_FRAME, Map.of(InferenceConfig.DETECT_EVERY_FRAMES, 1)));
            }
            results.add(measure(cameras, TRACKING, Map.of()));
        }

        System.out.println();
        System.out.println("bench demo on " + machine);
        System.out.printf(
                Locale.ROOT,
                "Demo pipeline on the embedded default: N sample RTSP cameras (vtest.avi, 768x576) sampled at %.1f "
                        + "fps each -> ingest -> one inference worker (CenterNet + MoveNet-Thunder, CPU, stale after %d "
                        + "ms, latest frame only) -> tracker -> dashboard; %d s measured after %d s warm-up. crops: "
                        + "'%s' = the worker's defaults (the detector on some frames, the others cropped from the "
                        + "tracked persons), '%s' = the detector on every frame. Per-camera figures are the mean over "
                        + "cameras (p99: the worst camera); latency is capture -> pose event at the dashboard.%n",
                fps(),
                DemoPipeline.STALE_MS,
                seconds,
                warmup,
                TRACKING,
                EVERY_FRAME);
        BenchTable table = new BenchTable(
                "cameras",
                "crops",
                "offered fps (all)",
                "posed fps / camera",
                "persons/s / camera",
                "latency p50 ms",
                "latency p99 ms",
                "skipped stale",
                "detector on",
                "inference busy",
                "bottleneck");
        for (Result r : results) {
            table.row(
                    r.cameras(),
                    r.crops(),
                    r.offeredFps(),
                    r.posedPerCamera(),
                    r.personsPerCamera(),
                    r.latencyP50(),
                    r.latencyP99(),
                    percent(r.skippedShare()),
                    percent(r.detectedShare()),
                    percent(r.busy()),
                    r.bottleneck());
        }
        table.print(System.out);
        System.out.println("skipped stale: share of the frames answered SKIPPED_STALE (superseded by a newer frame or "
                + "too old); detector on: share of the posed frames the detector ran on; inference busy: the worker's "
                + "stage times over the wall time.");

        System.out.println();
        System.out.println("Against the models alone, measured right after each run on the same machine (the "
                + "detector and MoveNet on prepared tensors of 32 vtest.avi frames, detector at its best batch of "
                + RAW_BATCHES.subList(0, 3) + ", pose at batch " + RAW_POSE_BATCH + "), for the run's own work: the "
                + "detector on its share of the posed frames and its crops per posed frame. worker / raw is below 1 "
                + "when the worker keeps up with the cameras (it idles) and near 1 when it is the bottleneck.");
        BenchTable limits = new BenchTable(
                "cameras",
                "crops",
                "posed fps (all)",
                "detector on",
                "crops / posed frame",
                "detector ms / frame (raw)",
                "pose ms / crop (raw)",
                "raw models fps",
                "worker / raw",
                "inference busy");
        for (Result r : results) {
            limits.row(
                    r.cameras(),
                    r.crops(),
                    r.posedFps(),
                    percent(r.detectedShare()),
                    r.cropsPerPosed(),
                    r.raw().detectSecondsPerFrame() * 1e3,
                    r.raw().poseSecondsPerCrop().getOrDefault(RAW_POSE_BATCH, 0.0) * 1e3,
                    r.rawFps(),
                    ratio(r.posedFps(), r.rawFps()),
                    percent(r.busy()));
        }
        limits.print(System.out);

        if (baseline) {
            System.out.println();
            System.out.println(
                    "Tracking-driven crops against the detector on every frame, same camera count, same run:");
            BenchTable ratio = new BenchTable(
                    "cameras",
                    "posed fps / camera ratio",
                    "persons/s / camera ratio",
                    "latency p99 ms (every frame " + "-> tracking-driven)");
            for (int i = 0; i + 1 < results.size(); i += 2) {
                Result before = results.get(i);
                Result after = results.get(i + 1);
                ratio.row(
                        after.cameras(),
                        ratio(after.posedPerCamera(), before.posedPerCamera()),
                        ratio(after.personsPerCamera(), before.personsPerCamera()),
                        String.format(Locale.ROOT, "%.0f -> %.0f", before.latencyP99(), after.latencyP99()));
            }
            ratio.print(System.out);
        }

        System.out.println();
        System.out.println("Per camera (the dashboard's figures over the measured window; persons = mean tracked "
                + "persons per event):");
        BenchTable perCamera = new BenchTable(
                "cameras",
                "crops",
                "camera",
                "in fps",
                "posed fps",
                "persons",
                "persons/s",
                "latency p50 ms",
                "latency p99 ms");
        for (Result r : results) {
            for (CameraFigures f : r.figures().values()) {
                double persons = r.meanPersons().getOrDefault(f.cameraId(), 0.0);
                perCamera.row(
                        r.cameras(),
                        r.crops(),
                        f.cameraId(),
                        f.fpsIn(),
                        f.fpsPosed(),
                        persons,
                        f.fpsPosed() * persons,
                        f.latencyP50Ms(),
                        f.latencyP99Ms());
            }
        }
        perCamera.print(System.out);

        System.out.println();
        System.out.println("Inference worker stages: share of the wall time each kept the worker busy, and mean ms per "
                + "posed frame (batched stages shared out over the batch's frames; on frames cropped from tracked "
                + "persons the detector does not run). keypoints = decoding the pose model's output to source pixels, "
                + "rescoring and OKS-NMS (the heatmap_decode stage).");
        BenchTable stages = new BenchTable(
                "cameras",
                "crops",
                "posed fps (all)",
                "decode",
                "detect",
                "crop",
                "pose",
                "keypoints",
                "ms per posed frame",
                "capacity fps");
        for (Result r : results) {
            double sum = r.stageMs().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            stages.row(
                    r.cameras(),
                    r.crops(),
                    r.posedFps(),
                    busyAndMs(r, "decode"),
                    busyAndMs(r, "detect"),
                    busyAndMs(r, "crop"),
                    busyAndMs(r, "pose"),
                    busyAndMs(r, "heatmap_decode"),
                    sum,
                    sum > 0 ? 1000 / sum : 0.0);
        }
        stages.print(System.out);
        return 0;
    }

    private static String busyAndMs(Result r, String stage) {
        return String.format(
                Locale.ROOT,
                "%s (%.1f ms)",
                percent(r.stageBusy().get(stage)),
                r.stageMs().get(stage));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String ratio(double after, double before) {
        return before > 0 ? String.format(Locale.ROOT, "%.2f", after / before) : "-";
    }

    private double fps() {
        return ((Number) FLAGS.values(spec).get(IngestConfig.CAMERA_FPS)).doubleValue();
    }

    private Result measure(int cameras, String crops, Map<String, Object> workerSettings) throws Exception {
        System.out.println("== " + cameras + " camera(s), " + crops);
        // The dashboard's figures window is the measured window, so its rates and percentiles cover exactly that.
        Map<String, Object> dashboard = Map.of(DashboardConfig.FIGURES_WINDOW_MS, seconds * 1000L);
        Result result;
        try (DemoPipeline pipeline = DemoPipeline.start(
                new DemoPipeline.Options(cameras, fps(), 0, 0, modelsDir.resolve(), dashboard, workerSettings, null),
                System.out)) {
            int posing = pipeline.awaitPoses(cameras);
            System.out.println("Poses reach the dashboard on " + posing + " of " + cameras + " camera(s); warming up "
                    + warmup + " s");
            pipeline.runFor(warmup * 1000L);

            InferenceMetrics meters = pipeline.worker().metrics();
            long published0 = published(pipeline);
            double posed0 = meters.frames(FrameStatus.POSED);
            double stale0 = meters.frames(FrameStatus.SKIPPED_STALE);
            double detected0 = meters.detectedFrames();
            double crops0 = meters.crops();
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
            double posedFps = (meters.frames(FrameStatus.POSED) - posed0) / elapsed;
            double staleFps = (meters.frames(FrameStatus.SKIPPED_STALE) - stale0) / elapsed;
            double detectedFps = (meters.detectedFrames() - detected0) / elapsed;
            double cropsMade = meters.crops() - crops0;
            Map<String, double[]> stages1 = stageTotals(meters);
            Map<String, Double> stageMs = new LinkedHashMap<>();
            Map<String, Double> stageBusy = new LinkedHashMap<>();
            for (String stage : meters.poseStages().keySet()) {
                double totalMs = stages1.get(stage)[1] - stages0.get(stage)[1];
                double count = stages1.get(stage)[0] - stages0.get(stage)[0];
                stageMs.put(stage, count > 0 ? totalMs / count : 0.0);
                stageBusy.put(stage, totalMs / (elapsed * 1000));
            }
            double busy =
                    stageBusy.values().stream().mapToDouble(Double::doubleValue).sum();
            double offered = cameras * fps();
            result = new Result(
                    cameras,
                    crops,
                    offered,
                    publishedFps,
                    figures,
                    meanPersons,
                    posedFps,
                    staleFps,
                    detectedFps,
                    stageMs,
                    stageBusy,
                    posedFps > 0 ? cropsMade / (posedFps * elapsed) : 0,
                    null,
                    bottleneck(offered, publishedFps, posedFps, staleFps, busy, stageMs));
            System.out.println(pipeline.statusLine());
        }
        // The models alone, right after the run (its pipeline stopped), under the machine's load of that moment.
        return withRaw(result, rawModels());
    }

    private static Result withRaw(Result r, RawModelTimes raw) {
        return new Result(
                r.cameras(),
                r.crops(),
                r.offeredFps(),
                r.publishedFps(),
                r.figures(),
                r.meanPersons(),
                r.posedFps(),
                r.staleFps(),
                r.detectedFps(),
                r.stageMs(),
                r.stageBusy(),
                r.cropsPerPosed(),
                raw,
                r.bottleneck());
    }

    /** The detector and the pose network alone on prepared inputs of sample frames (4 places of the video). */
    private RawModelTimes rawModels() throws Exception {
        if (rawFrames == null) {
            rawFrames = SampleVideoFrames.read(
                            SampleRtspCamera.DEFAULT_VIDEO, 4, 8, 4, CameraConfig.DEFAULT_JPEG_QUALITY)
                    .jpegs();
        }
        InferenceConfig config = RawModelTimes.modelSettingsOnly(modelsDir.resolve());
        try (LoadedModel detector =
                        LoadedModel.load(config.detectorDir(), ModelKind.DETECTOR, config.sessionSettings());
                LoadedModel pose = LoadedModel.load(config.poseDir(), ModelKind.POSE, config.sessionSettings())) {
            return RawModelTimes.measure(config, detector, pose, rawFrames, RAW_BATCHES, RAW_CROPS);
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
