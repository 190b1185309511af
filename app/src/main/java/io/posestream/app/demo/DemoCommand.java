package io.posestream.app.demo;

import io.posestream.cli.Foreground;
import io.posestream.demo.DemoPipeline;
import io.posestream.models.ModelsDir;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default end to end, in one process: embedded Kafka and schema registry, the demo's pretrained
 * models, the sample RTSP camera(s), ingest, an inference worker, the tracker and the dashboard
 * ({@link DemoPipeline}), with a live status line until Ctrl-C.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run posestream on the embedded default: embedded Kafka and schema registry on 127.0.0.1, "
                    + "the pretrained models (model prepare), N sample RTSP cameras serving vtest.avi, ingest, an inference worker, "
                    + "the tracker "
                    + "and the dashboard. Prints the dashboard URL and a status line; Ctrl-C stops everything."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--cameras",
            defaultValue = "1",
            description = "Sample cameras to serve and ingest (default: " + "${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--fps",
            defaultValue = "5",
            description = "Frames per second sampled from each camera " + "(default: ${DEFAULT-VALUE}).")
    double fps;

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

    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Models directory (default: $" + ModelsDir.ENV + ", else ~/.posestream/models).")
    Path modelsDir;

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

    @Override
    public Integer call() throws Exception {
        DemoPipeline pipeline = DemoPipeline.start(
                new DemoPipeline.Options(cameras, fps, dashboardPort, registryPort, modelsDir, Map.of()), System.out);
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
