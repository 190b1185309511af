package io.posestream.app.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.cli.PartitionsOption;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraConfigLoader;
import io.posestream.ingest.config.IngestConfig;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
        modelTransformer = IngestCommand.Flags.class,
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

    /** The settings offered as flags; defaults and help come from {@link IngestConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(IngestConfig.definition())
            .flag("--fps", IngestConfig.CAMERA_FPS)
            .flag("--max-width", IngestConfig.CAMERA_MAX_WIDTH)
            .flag("--jpeg-quality", IngestConfig.CAMERA_JPEG_QUALITY)
            .flag("--transport", IngestConfig.CAMERA_TRANSPORT)
            .flag("--loop", IngestConfig.CAMERA_LOOP)
            .flag("--topic", IngestConfig.TOPIC);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Mixin
    PartitionsOption partitions;

    @Mixin
    SettingOverrides overrides;

    @Mixin
    EndpointOptions endpoint;

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        // 1. Settings, cameras included: a bad one stops the start before anything is served or connected.
        Map<String, Object> clusterConfig = cluster.clientConfig();
        Map<String, Object> settings = FLAGS.settings(spec, clusterConfig, overrides);
        IngestConfig config = new IngestConfig(settings);
        List<CameraConfig> configs = cameraConfigs(config);
        String topic = config.topic();
        // The producer gets the cluster, --setting overrides and client passthrough; the ingest.* keys are ours.
        Map<String, Object> clientConfig = new HashMap<>(settings);
        clientConfig.keySet().removeIf(key -> key.startsWith(IngestConfig.PREFIX));
        // 2. Health, so a probe sees what the service waits for rather than a refused connection.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics = endpoint.start("ingest", registry);
        HealthFlag started = new HealthFlag("cameras not started yet");
        if (metrics != null) {
            metrics.readiness("cameras started", started);
        }
        // 3. The cluster: wait for it, then create the topic and start the cameras.
        ClusterWatch watch = startup.watch("ingest", "to publish frames to " + topic, cluster, metrics);
        IngestService ingest;
        try {
            watch.awaitReachable();
            try (Admin admin = Admin.create(clusterConfig)) {
                Topics.ensure(
                        admin, List.of(Topics.dataTopic(topic, partitions.partitions(), Topics.replicationFor(admin))));
            }
            ingest = new IngestService(configs, clientConfig, topic, registry, System.getenv()).start();
        } catch (Exception e) {
            watch.close();
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
                    watch.close();
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !ingest.anyActive());
        return 0;
    }

    private List<CameraConfig> cameraConfigs(IngestConfig config) {
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
                configs.add(config.camera(camera.getKey(), camera.getValue()));
            }
            return configs;
        } catch (CameraConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
