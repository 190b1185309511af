package io.posestream.app.demo;

import io.posestream.cli.Foreground;
import io.posestream.cli.ModelsDirOption;
import io.posestream.cli.SettingFlags;
import io.posestream.demo.DemoPipeline;
import io.posestream.ingest.config.IngestConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The embedded default end to end, in one process: embedded Kafka and schema registry, the demo's pretrained
 * models, the sample RTSP camera(s), ingest, an inference worker, the tracker, the analytics and the dashboard
 * ({@link DemoPipeline}), with a live status line until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        modelTransformer = DemoCommand.Flags.class,
        description = {
            "Run posestream on the embedded default: embedded Kafka and schema registry on 127.0.0.1, "
                    + "the pretrained models (model prepare), N sample RTSP cameras serving vtest.avi, ingest, an inference worker, "
                    + "the tracker, the analytics (the sample camera's built-in zones and lines, or --rules) "
                    + "and the dashboard. Prints the dashboard URL and a status line; Ctrl-C stops everything."
        })
public final class DemoCommand implements Callable<Integer> {
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
            defaultValue = "1",
            description = "Sample cameras to serve and ingest (default: " + "${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--dashboard-port",
            defaultValue = "8080",
            description = "Dashboard HTTP port on 127.0.0.1 " + "(default: ${DEFAULT-VALUE}; 0 = any free port).")
    int dashboardPort;

    @Option(
            names = "--registry-port",
            defaultValue = "0",
            description = "Schema registry HTTP port (default: any " + "free port).")
    int registryPort;

    @Mixin
    ModelsDirOption modelsDir;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = "Analytics rules file (YAML or JSON, rules for cameras cam1..camN; docs/analytics.md) "
                    + "instead of the built-in rules of the sample camera on every camera (a line across the "
                    + "footpath on the left, the middle of the road as a zone, falls, raised hands).")
    Path rules;

    @Option(
            names = "--status-every",
            defaultValue = "5",
            description = "Seconds between status lines (default: " + "${DEFAULT-VALUE}).")
    int statusEvery;

    @Option(
            names = "--duration",
            defaultValue = "0",
            description = "Stop after this many seconds (default: run " + "until Ctrl-C).")
    int duration;

    private double fps() {
        return ((Number) FLAGS.values(spec).get(IngestConfig.CAMERA_FPS)).doubleValue();
    }

    @Override
    public Integer call() throws Exception {
        DemoPipeline pipeline = DemoPipeline.start(
                new DemoPipeline.Options(
                        cameras, fps(), dashboardPort, registryPort, modelsDir.resolve(), Map.of(), Map.of(), rules),
                System.out);
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-status");
            thread.setDaemon(true);
            return thread;
        });
        status.scheduleAtFixedRate(
                () -> System.out.println(pipeline.statusLine()), statusEvery, statusEvery, TimeUnit.SECONDS);
        AutoCloseable all = () -> {
            status.shutdownNow();
            pipeline.close();
        };
        long stopAt = duration > 0 ? System.currentTimeMillis() + duration * 1000L : Long.MAX_VALUE;
        // A worker that stopped on its own has said why in the log; the demo ends rather than run without poses.
        Foreground.run(
                all,
                () -> System.currentTimeMillis() >= stopAt || !pipeline.worker().running());
        System.out.println("Demo stopped.");
        return 0;
    }
}
