package io.posestream.app.infer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.cli.PartitionsOption;
import io.posestream.cli.PoseModelOptions;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceWorker;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posestream infer}: one inference worker of the consumer group, until Ctrl-C. */
@Command(
        name = "infer",
        mixinStandardHelpOptions = true,
        modelTransformer = InferCommand.Flags.class,
        description = "Pose people: posestream.frames (Frame) in, one posestream.poses (PoseFrame) per frame out, "
                + "with a person detector and a pose SavedModel, crops batched across cameras, exactly-once by "
                + "default. Workers with the same group share the cameras. Runs until Ctrl-C.")
public final class InferCommand implements Callable<Integer> {
    /** The worker settings offered as flags; defaults and help come from {@link InferenceConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(InferenceConfig.definition())
            .flag("--group-id", InferenceConfig.GROUP_ID)
            .flag("--delivery", InferenceConfig.DELIVERY)
            .flag("--batch-frames", InferenceConfig.BATCH_FRAMES)
            .flag("--batch-wait-ms", InferenceConfig.BATCH_WAIT_MS)
            .flag("--pose-batch", InferenceConfig.POSE_BATCH)
            .flag("--stale-ms", InferenceConfig.STALE_MS)
            .flag("--flip-test", InferenceConfig.FLIP_TEST)
            .flag("--detect-every", InferenceConfig.DETECT_EVERY_FRAMES)
            .flag("--max-persons", InferenceConfig.MAX_PERSONS)
            .flag("--threads", InferenceConfig.INTRA_OP_THREADS)
            .flag("--transactional-id", InferenceConfig.TRANSACTIONAL_ID);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    PoseModelOptions models;

    @Mixin
    PartitionsOption partitions;

    @Mixin
    SettingOverrides overrides;

    @Mixin
    EndpointOptions endpoint;

    /** The worker's settings: cluster, models, flags, then --setting. */
    private Map<String, Object> workerConfig() {
        Map<String, Object> base = new HashMap<>(cluster.clientConfig());
        base.putAll(InferenceConfig.modelDirs(models.modelsDir(), models.detector(), models.pose()));
        return FLAGS.settings(spec, base, overrides);
    }

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        InferenceConfig config = new InferenceConfig(workerConfig());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics = endpoint.start("inference", registry);
        // Loading (and on a GPU, initialising CUDA) takes a while: "not ready" until the models are in.
        HealthFlag loaded = new HealthFlag("loading models");
        InferenceWorker worker;
        ClusterWatch watch = null;
        try {
            if (metrics != null) {
                metrics.readiness("models loaded", loaded);
            }
            // Models first: a wrong or missing model fails at once, before any wait on the cluster.
            worker = new InferenceWorker(config, registry);
            loaded.up();
            try {
                watch = startup.watch(
                        "inference", "to read " + config.getString(InferenceConfig.INPUT_TOPIC), cluster, metrics);
                watch.awaitReachable();
                try (Admin admin = Admin.create(cluster.clientConfig())) {
                    short replication = Topics.replicationFor(admin);
                    Topics.ensure(
                            admin,
                            List.of(
                                    Topics.dataTopic(
                                            config.getString(InferenceConfig.OUTPUT_TOPIC),
                                            partitions.partitions(),
                                            replication),
                                    Topics.dataTopic(config.getString(InferenceConfig.DLQ_TOPIC), 1, replication)));
                }
            } catch (Exception e) {
                worker.close();
                throw e;
            }
        } catch (Exception e) {
            if (watch != null) {
                watch.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        if (metrics != null) {
            metrics.readiness(
                    "consumer assigned",
                    () -> worker.assignment().isEmpty()
                            ? HealthCheck.Result.down("no partitions of the frame topic assigned")
                            : HealthCheck.Result.up(worker.assignment().size() + " partition(s)"));
            metrics.liveness(
                    "worker running",
                    () -> worker.failure() == null
                            ? HealthCheck.Result.up()
                            : HealthCheck.Result.down("worker stopped: " + worker.failure()));
        }
        worker.start();
        ClusterWatch running = watch;
        Foreground.run(
                () -> {
                    worker.close();
                    running.close();
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !worker.running());
        if (worker.failure() != null) {
            // The worker logged it; the operator's one line says what to check (a missing ACL, for example).
            spec.commandLine()
                    .getErr()
                    .println("posestream infer: worker stopped: " + ClientErrors.describe(worker.failure()));
            return 1;
        }
        return 0;
    }
}
