package io.posestream.app.ingest;

import io.posestream.app.Foreground;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.app.config.ClusterOptions;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraConfigLoader;
import io.posestream.ingest.metrics.MetricsServer;
import io.posestream.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posestream ingest}: cameras in, JPEG {@code Frame} records on {@code posestream.frames} out. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Decode RTSP and file cameras (JavaCV/FFmpeg), sample them to a target fps by timestamp, "
                + "JPEG-encode and publish Avro Frame records keyed by camera id to posestream.frames. Each camera "
                + "runs on its own and reconnects with backoff. Runs until Ctrl-C (or until every file camera "
                + "without loop has ended). See docs/ingest.md.")
public final class IngestCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Cameras cameras;

    static final class Cameras {
        @Option(names = "--cameras", paramLabel = "FILE",
                description = "YAML or JSON list of cameras (id, url, fps, maxWidth, jpegQuality, transport, loop, "
                        + "username, passwordEnv, ...; see docs/ingest.md).")
        Path file;

        @Option(names = "--camera", paramLabel = "ID=URL",
                description = "One camera: rtsp://, rtsps://, file: URL or a file path; repeatable. Takes the "
                        + "settings below.")
        Map<String, String> urls;
    }

    @Option(names = "--fps", description = "--camera: target frames per second (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double fps;

    @Option(names = "--max-width", description = "--camera: downscale wider frames to this width, 0 = source size "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int maxWidth;

    @Option(names = "--jpeg-quality", description = "--camera: JPEG quality 1..100 (default: ${DEFAULT-VALUE}).",
            defaultValue = "80")
    int jpegQuality;

    @Option(names = "--transport", description = "--camera: RTSP transport tcp or udp (default: ${DEFAULT-VALUE}).",
            defaultValue = "tcp")
    String transport;

    @Option(names = "--loop", description = "--camera: play files again from the start when they end.")
    boolean loop;

    @Option(names = "--topic", description = "Frame topic (default: ${DEFAULT-VALUE}).",
            defaultValue = Topics.FRAMES)
    String topic;

    @Option(names = "--partitions", description = "Partitions if the frame topic has to be created "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int partitions;

    @Option(names = "--metrics-port", description = "Prometheus endpoint port (/metrics); 0 = any free port, "
            + "-1 = none (default: ${DEFAULT-VALUE}).", defaultValue = "9400")
    int metricsPort;

    @Option(names = "--metrics-address", description = "Address of the metrics endpoint (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String metricsAddress;

    @Option(names = "--producer", paramLabel = "KEY=VALUE", description = "Override a producer setting of "
            + "docs/ingest.md, e.g. acks=1; repeatable.")
    Map<String, String> producer = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<CameraConfig> configs = cameraConfigs();
        Map<String, Object> clientConfig = new HashMap<>(cluster.clientConfig());
        clientConfig.putAll(producer);
        try (Admin admin = Admin.create(cluster.clientConfig())) {
            Topics.ensure(admin, List.of(Topics.dataTopic(topic, partitions, Topics.replicationFor(admin))));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer metrics = metricsPort < 0 ? null : MetricsServer.start(registry, metricsAddress, metricsPort);
        IngestService ingest;
        try {
            ingest = new IngestService(configs, clientConfig, topic, registry, System.getenv()).start();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        Foreground.run(() -> {
            ingest.close();
            if (metrics != null) {
                metrics.close();
            }
        }, () -> !ingest.anyActive());
        return 0;
    }

    private List<CameraConfig> cameraConfigs() {
        try {
            if (cameras.file != null) {
                return CameraConfigLoader.load(cameras.file);
            }
            List<CameraConfig> configs = new ArrayList<>();
            for (Map.Entry<String, String> camera : cameras.urls.entrySet()) {
                configs.add(CameraConfig.builder(camera.getKey(), camera.getValue()).fps(fps).maxWidth(maxWidth)
                        .jpegQuality(jpegQuality).transport(transport).loop(loop).build());
            }
            return configs;
        } catch (CameraConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
