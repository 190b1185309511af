package io.posestream.demo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.analytics.streams.AnalyticsApp;
import io.posestream.analytics.streams.AnalyticsAppConfig;
import io.posestream.dashboard.CameraFigures;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.dashboard.DashboardServer;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceWorker;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.models.ModelsDir;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.schemas.Topics;
import io.posestream.tracker.streams.TrackerApp;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.io.file.PathUtils;

/**
 * The demo's services on the embedded default, started together in one process: the pretrained models (prepared
 * when missing), embedded Kafka and schema registry, the sample RTSP camera(s), ingest, an inference worker, the
 * tracker, the analytics (the sample camera's built-in rules, {@link SampleRules}, or a rules file) and the
 * dashboard, which draws the rules' zones and lines. Shared by {@code demo} and {@code bench demo}; closing stops
 * everything in reverse order of start.
 */
public final class DemoPipeline implements AutoCloseable {
    /** Two CPU cores pose a few frames a second: the worker skips what is over this old so the page stays live. */
    public static final long STALE_MS = 2000;

    /**
     * What to run.
     *
     * @param cameras           sample cameras to serve and ingest, 1..16
     * @param fps               frames per second sampled from each camera
     * @param dashboardPort     dashboard HTTP port on 127.0.0.1 (0 = any free port)
     * @param registryPort      schema registry HTTP port (0 = any free port)
     * @param modelsDir         models directory, null for the default ({@link ModelsDir#resolve})
     * @param dashboardSettings extra {@code dashboard.*} settings (such as the figures window)
     * @param workerSettings    extra {@code inference.*} settings (such as the detector interval), over the demo's
     * @param rulesFile         analytics rules file (for cameras cam1..camN), null for the sample camera's built-in
     *                          rules on every camera
     */
    public record Options(
            int cameras,
            double fps,
            int dashboardPort,
            int registryPort,
            Path modelsDir,
            Map<String, Object> dashboardSettings,
            Map<String, Object> workerSettings,
            Path rulesFile) {
        public Options {
            if (cameras < 1 || cameras > 16) {
                throw new IllegalArgumentException("--cameras must be 1..16, got " + cameras);
            }
            if (!(fps > 0)) {
                throw new IllegalArgumentException("--fps must be above 0, got " + fps);
            }
            dashboardSettings = Map.copyOf(dashboardSettings);
            workerSettings = Map.copyOf(workerSettings);
        }
    }

    private final Deque<AutoCloseable> started;
    private final Map<String, Object> clientConfig;
    private final IngestService ingest;
    private final InferenceWorker worker;
    private final DashboardServer dashboard;

    private DemoPipeline(
            Deque<AutoCloseable> started,
            Map<String, Object> clientConfig,
            IngestService ingest,
            InferenceWorker worker,
            DashboardServer dashboard) {
        this.started = started;
        this.clientConfig = Map.copyOf(clientConfig);
        this.ingest = ingest;
        this.worker = worker;
        this.dashboard = dashboard;
    }

    /** Prepares the models and starts everything, printing one line per part started (the dashboard URL last). */
    public static DemoPipeline start(Options options, PrintStream out) throws Exception {
        if (options.rulesFile() != null) {
            checkRules(options.rulesFile(), options.cameras());
        }
        Path models = ModelsDir.resolve(options.modelsDir());
        ModelPreparer.Outcome prepared = new ModelPreparer(models, HumanModelsPackage.fromPath()).prepare();
        out.println("Models           " + models + " ("
                + (prepared.nothingToDo() ? "already prepared" : "prepared " + String.join(", ", prepared.converted()))
                + ")");

        // Closed in reverse order of start: dashboard, tracker, worker, ingest, camera, then Kafka and the registry.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            EmbeddedStack stack = EmbeddedStack.start(Math.max(4, options.cameras()), options.registryPort());
            started.push(stack);
            out.println("Kafka broker     bootstrap.servers=" + stack.bootstrapServers());
            out.println("Schema registry  schema.registry.url=" + stack.registryUrl());

            SampleRtspCamera camera = new SampleRtspCamera(
                            SampleRtspCamera.DEFAULT_VIDEO, "127.0.0.1", 0, "cam1", options.cameras())
                    .start();
            started.push(camera);
            out.println("Sample cameras   " + String.join(" ", camera.urls()));

            List<CameraConfig> cameraConfigs = new ArrayList<>();
            for (int i = 0; i < options.cameras(); i++) {
                cameraConfigs.add(
                        CameraConfig.builder("cam" + (i + 1), camera.urls().get(i))
                                .fps(options.fps())
                                .build());
            }
            IngestService ingest = new IngestService(
                            cameraConfigs,
                            stack.clientConfig(),
                            Topics.FRAMES,
                            new SimpleMeterRegistry(),
                            System.getenv())
                    .start();
            started.push(ingest);

            Map<String, Object> workerSettings = new HashMap<>(stack.clientConfig());
            workerSettings.putAll(InferenceConfig.modelDirs(models, null, null));
            workerSettings.put(InferenceConfig.TRANSACTIONAL_ID, "posestream-demo-inference");
            workerSettings.put(InferenceConfig.STALE_MS, STALE_MS);
            workerSettings.putAll(options.workerSettings());
            InferenceWorker worker =
                    new InferenceWorker(new InferenceConfig(workerSettings), new SimpleMeterRegistry()).start();
            started.push(worker);
            out.println("Inference        " + Topics.FRAMES + " -> " + Topics.POSES + " ("
                    + worker.pipeline().detector().name() + " + "
                    + worker.pipeline().estimator().name()
                    + ", exactly-once)");

            // The demo's tracker state lives as long as its embedded broker does.
            Path trackerState = Files.createTempDirectory("posestream-demo-tracker-");
            started.push(() -> PathUtils.deleteDirectory(trackerState));
            Map<String, Object> trackerSettings = new HashMap<>(stack.clientConfig());
            trackerSettings.put(TrackerAppConfig.APPLICATION_ID, "posestream-demo-tracker");
            trackerSettings.put(TrackerAppConfig.STATE_DIR, trackerState.toString());
            // The tracker's own defaults, as `track` runs them: its score thresholds follow each camera's scores.
            TrackerApp tracker = new TrackerApp(new TrackerAppConfig(trackerSettings)).start();
            started.push(tracker);
            out.println("Tracker          " + Topics.POSES + " -> " + Topics.POSE_EVENTS
                    + " (Kafka Streams, exactly-once)");

            Path analyticsState = Files.createTempDirectory("posestream-demo-analytics-");
            started.push(() -> PathUtils.deleteDirectory(analyticsState));
            Path rules = options.rulesFile();
            if (rules == null) {
                rules = SampleRules.writeFor(
                        cameraConfigs.stream().map(CameraConfig::id).toList(),
                        analyticsState.resolveSibling(analyticsState.getFileName() + ".rules.yaml"));
                Path written = rules;
                started.push(() -> Files.deleteIfExists(written));
            }
            Map<String, Object> analyticsSettings = new HashMap<>(stack.clientConfig());
            analyticsSettings.put(AnalyticsAppConfig.APPLICATION_ID, "posestream-demo-analytics");
            analyticsSettings.put(AnalyticsAppConfig.STATE_DIR, analyticsState.toString());
            analyticsSettings.put(AnalyticsAppConfig.RULES_FILE, rules.toString());
            AnalyticsAppConfig analyticsConfig = new AnalyticsAppConfig(analyticsSettings);
            AnalyticsApp analytics = new AnalyticsApp(analyticsConfig).start();
            started.push(analytics);
            out.println("Analytics        " + Topics.POSE_EVENTS + " -> " + Topics.ACTIVITY_EVENTS + ", "
                    + Topics.ZONE_COUNTS + " (" + analyticsConfig.rules().ruleCount() + " rules for "
                    + String.join(
                            " ", new TreeSet<>(analyticsConfig.rules().cameras().keySet()))
                    + (options.rulesFile() == null ? ": the sample camera's built-in rules" : " from " + rules)
                    + ")");

            Map<String, Object> dashboardSettings = new HashMap<>(stack.clientConfig());
            dashboardSettings.putAll(options.dashboardSettings());
            dashboardSettings.put(DashboardConfig.PORT, options.dashboardPort());
            dashboardSettings.put(DashboardConfig.RULES_FILE, rules.toString());
            DashboardServer dashboard = DashboardServer.start(dashboardSettings);
            started.push(dashboard);
            out.println("Dashboard        " + dashboard.url());
            out.flush();
            return new DemoPipeline(started, stack.clientConfig(), ingest, worker, dashboard);
        } catch (Exception | Error e) {
            try {
                closeAll(started);
            } catch (Exception notStopped) {
                e.addSuppressed(notStopped);
            }
            throw e;
        }
    }

    /**
     * Checks a rules file before anything starts: a bad rule stops the demo at once naming the rule and the field,
     * and so does a file that names none of the demo's cameras (nothing would ever show).
     */
    private static void checkRules(Path file, int cameras) {
        AnalyticsRules rules = RulesFile.load(file);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= cameras; i++) {
            ids.add("cam" + i);
        }
        if (rules.cameras().keySet().stream().noneMatch(ids::contains)) {
            throw new IllegalArgumentException("Rules file " + file + " has rules for cameras "
                    + new TreeSet<>(rules.cameras().keySet()) + " but the demo's cameras are " + ids
                    + " (--cameras " + cameras + "): write its rules for those");
        }
    }

    /** Client settings of the embedded broker and registry (bootstrap servers, registry URL). */
    public Map<String, Object> clientConfig() {
        return clientConfig;
    }

    public IngestService ingest() {
        return ingest;
    }

    public InferenceWorker worker() {
        return worker;
    }

    public DashboardServer dashboard() {
        return dashboard;
    }

    /**
     * Waits for poses at the dashboard on every camera, or, when the worker cannot serve them all (it skips what
     * is stale), for a minute after the first: measuring an overloaded pipeline is the point of the benchmarks.
     * Returns the cameras that show poses.
     */
    public int awaitPoses(int cameras) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 300_000;
        long firstPosed = -1;
        while (true) {
            int posing = (int) dashboard.figures().values().stream()
                    .filter(f -> f.fpsPosed() > 0)
                    .count();
            if (posing > 0 && firstPosed < 0) {
                firstPosed = System.currentTimeMillis();
            }
            if (posing >= cameras || (posing > 0 && System.currentTimeMillis() - firstPosed > 60_000)) {
                return posing;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("No poses at the dashboard after 300 s: " + statusLine());
            }
            runFor(500);
        }
    }

    /** Lets the pipeline run for {@code ms}; fails if the inference worker stopped meanwhile. */
    public void runFor(long ms) throws InterruptedException {
        Thread.sleep(Math.max(0, ms));
        if (!worker.running()) {
            throw new IllegalStateException("The inference worker stopped: " + worker.failure());
        }
    }

    /** One status line: per camera, frames published by ingest and what the dashboard sees. */
    public String statusLine() {
        Map<String, CameraFigures> figures = dashboard.figures();
        StringBuilder line = new StringBuilder("status");
        for (String id : ingest.cameraIds()) {
            CameraMetrics metrics = ingest.metrics(id);
            CameraFigures seen = figures.get(id);
            line.append(String.format(
                    Locale.ROOT,
                    " | %s %s published=%d",
                    id,
                    metrics.state().name().toLowerCase(Locale.ROOT),
                    metrics.framesPublished()));
            if (seen != null) {
                line.append(String.format(Locale.ROOT, " in=%.1ffps", seen.fpsIn()));
                if (seen.fpsPosed() > 0) {
                    line.append(String.format(
                            Locale.ROOT,
                            " posed=%.1ffps persons=%d latency=%.0fms",
                            seen.fpsPosed(),
                            seen.persons(),
                            seen.latencyP50Ms()));
                }
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws Exception {
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // Keep closing: one part failing to stop must not leave the others running.
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
