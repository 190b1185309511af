package io.posestream.app.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraConfigLoader;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posestream ingest}: cameras in, JPEG {@code Frame} records on {@code posestream.frames} out. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Decode RTSP and file cameras (JavaCV/FFmpeg), sample them to a target fps by timestamp, "
                + "JPEG-encode and publish Avro Frame records keyed by camera id to posestream.frames. Each camera "
                + "runs on its own and reconnects with backoff. Runs until Ctrl-C (or until every file camera "
                + "without loop has ended). See docs/ingest.md.")
public final class IngestCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    // Plain options checked in call() rather than a required ArgGroup: picocli applies no defaults (environment,
    // config file) to an unmatched group, and cameras=FILE in a config file must work like every other setting.
    @Option(
            names = "--cameras",
            paramLabel = "FILE",
            description = "YAML or JSON list of cameras (id, url, fps, maxWidth, jpegQuality, transport, loop, "
                    + "username, passwordEnv, ...; see docs/ingest.md). This or --camera is required.")
    Path camerasFile;

    @Option(
            names = "--camera",
            paramLabel = "ID=URL",
            description = "One camera: rtsp://, rtsps://, file: URL or a file path; repeatable. Takes the "
                    + "settings below.")
    Map<String, String> cameraUrls;

    @Option(
            names = "--fps",
            description = "--camera: target frames per second (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double fps;

    @Option(
            names = "--max-width",
            description =
                    "--camera: downscale wider frames to this width, 0 = source size " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int maxWidth;

    @Option(
            names = "--jpeg-quality",
            description = "--camera: JPEG quality 1..100 (default: ${DEFAULT-VALUE}).",
            defaultValue = "80")
    int jpegQuality;

    @Option(
            names = "--transport",
            description = "--camera: RTSP transport tcp or udp (default: ${DEFAULT-VALUE}).",
            defaultValue = "tcp")
    String transport;

    @Option(names = "--loop", description = "--camera: play files again from the start when they end.")
    boolean loop;

    @Option(names = "--topic", description = "Frame topic (default: ${DEFAULT-VALUE}).", defaultValue = Topics.FRAMES)
    String topic;

    @Option(
            names = "--partitions",
            description = "Partitions if the frame topic has to be created " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int partitions;

    @Mixin
    EndpointOptions endpoint;

    @Option(
            names = "--producer",
            paramLabel = "KEY=VALUE",
            description = "Override a producer setting of " + "docs/ingest.md, e.g. acks=1; repeatable.")
    Map<String, String> producer = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<CameraConfig> configs = cameraConfigs();
        Map<String, Object> clusterConfig = cluster.clientConfig();
        Map<String, Object> clientConfig = new HashMap<>(clusterConfig);
        clientConfig.putAll(producer);
        try (Admin admin = Admin.create(clusterConfig)) {
            Topics.ensure(admin, List.of(Topics.dataTopic(topic, partitions, Topics.replicationFor(admin))));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics = endpoint.start("ingest", registry);
        // Serving health before the cameras start, so a probe sees "starting" rather than a refused connection.
        HealthFlag started = new HealthFlag("cameras not started yet");
        IngestService ingest;
        try {
            if (metrics != null) {
                metrics.readiness("cameras started", started);
            }
            ingest = new IngestService(configs, clientConfig, topic, registry, System.getenv()).start();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        started.up(ingest.cameraIds().size() + " camera(s)");
        if (metrics != null) {
            metrics.readiness("frames delivered to Kafka", () -> {
                String problem = ingest.deliveryProblem();
                return problem == null ? HealthCheck.Result.up() : HealthCheck.Result.down(problem);
            });
        }
        Foreground.run(
                () -> {
                    ingest.close();
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !ingest.anyActive());
        return 0;
    }

    private List<CameraConfig> cameraConfigs() {
        boolean urls = cameraUrls != null && !cameraUrls.isEmpty();
        if ((camerasFile == null) == !urls) {
            throw new ParameterException(
                    spec.commandLine(),
                    camerasFile == null
                            ? "Missing required option: --cameras=FILE or --camera=ID=URL"
                            : "--cameras=" + camerasFile + " and --camera are mutually exclusive (give one)");
        }
        try {
            if (camerasFile != null) {
                return CameraConfigLoader.load(camerasFile);
            }
            List<CameraConfig> configs = new ArrayList<>();
            for (Map.Entry<String, String> camera : cameraUrls.entrySet()) {
                configs.add(CameraConfig.builder(camera.getKey(), camera.getValue())
                        .fps(fps)
                        .maxWidth(maxWidth)
                        .jpegQuality(jpegQuality)
                        .transport(transport)
                        .loop(loop)
                        .build());
            }
            return configs;
        } catch (CameraConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
