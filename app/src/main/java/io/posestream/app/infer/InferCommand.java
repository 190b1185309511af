package io.posestream.app.infer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.app.Foreground;
import io.posestream.app.config.ClusterOptions;
import io.posestream.app.config.EndpointOptions;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceWorker;
import io.posestream.models.ModelsDir;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code posestream infer}: one inference worker of the consumer group, until Ctrl-C. */
@Command(
        name = "infer",
        mixinStandardHelpOptions = true,
        description = "Pose people: posestream.frames (Frame) in, one posestream.poses (PoseFrame) per frame out, "
                + "with a person detector and a pose SavedModel, crops batched across cameras, exactly-once by "
                + "default. Workers with the same group share the cameras. Runs until Ctrl-C.")
public final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--detector",
            paramLabel = "DIR",
            description = "Person detector SavedModel " + "(default: MODELS_DIR/centernet).")
    Path detector;

    @Option(
            names = "--pose",
            paramLabel = "DIR",
            description = "Pose SavedModel: MODELS_DIR/movenet-thunder (the "
                    + "default) or an HRNet from `posestream model export-hrnet`.")
    Path pose;

    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Where `posestream model prepare` put the "
                    + "models (default: $POSESTREAM_MODELS_DIR, else ~/.posestream/models).")
    Path modelsDir;

    @Option(
            names = "--group-id",
            description = "Consumer group (default: ${DEFAULT-VALUE}).",
            defaultValue = "posestream-inference")
    String groupId;

    @Option(
            names = "--delivery",
            description = "exactly_once (transactions) or at_least_once " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = InferenceConfig.EXACTLY_ONCE)
    String delivery;

    @Option(
            names = "--batch-frames",
            description = "Most frames processed together (default: ${DEFAULT-VALUE}).",
            defaultValue = "8")
    int batchFrames;

    @Option(
            names = "--batch-wait-ms",
            description = "Longest wait to fill a batch (default: ${DEFAULT-VALUE}).",
            defaultValue = "20")
    long batchWaitMs;

    @Option(
            names = "--pose-batch",
            description = "Most crops per pose network call (default: ${DEFAULT-VALUE}).",
            defaultValue = "16")
    int poseBatch;

    @Option(
            names = "--stale-ms",
            description = "Frames older than this on arrival are skipped as stale; 0 poses "
                    + "all (default: ${DEFAULT-VALUE}).",
            defaultValue = "5000")
    long staleMs;

    @Option(names = "--flip-test", description = "Also pose mirrored crops and average (twice the cost).")
    boolean flipTest;

    @Option(
            names = "--max-persons",
            description = "Most persons per frame (default: ${DEFAULT-VALUE}).",
            defaultValue = "20")
    int maxPersons;

    @Option(
            names = "--threads",
            description = "TensorFlow intra-op threads; 0 = all cores " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int threads;

    @Option(
            names = "--transactional-id",
            description = "Transactional id, unique per live worker and stable "
                    + "across restarts (e.g. the pod name) so a restart fences its predecessor at once "
                    + "(default: posestream-inference-HOSTNAME-PID-N).")
    String transactionalId;

    @Option(
            names = "--partitions",
            description = "Partitions if the pose topic has to be created (default: "
                    + "${DEFAULT-VALUE}; its dead-letter topic gets 1).",
            defaultValue = "4")
    int partitions;

    @Option(
            names = "--setting",
            paramLabel = "KEY=VALUE",
            description = "Any other worker setting, e.g. "
                    + "inference.detector.score.threshold=0.4; repeatable. See docs/inference.md.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Mixin
    EndpointOptions endpoint;

    /** The worker's settings from the options. */
    private Map<String, Object> workerConfig() {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig());
        config.putAll(InferenceConfig.modelDirs(ModelsDir.resolve(modelsDir), detector, pose));
        config.put(InferenceConfig.GROUP_ID, groupId);
        config.put(InferenceConfig.DELIVERY, delivery);
        config.put(InferenceConfig.BATCH_FRAMES, batchFrames);
        config.put(InferenceConfig.BATCH_WAIT_MS, batchWaitMs);
        config.put(InferenceConfig.POSE_BATCH, poseBatch);
        config.put(InferenceConfig.STALE_MS, staleMs);
        config.put(InferenceConfig.FLIP_TEST, flipTest);
        config.put(InferenceConfig.MAX_PERSONS, maxPersons);
        config.put(InferenceConfig.INTRA_OP_THREADS, threads);
        if (transactionalId != null) {
            config.put(InferenceConfig.TRANSACTIONAL_ID, transactionalId);
        }
        config.putAll(settings);
        return config;
    }

    @Override
    public Integer call() throws Exception {
        InferenceConfig config = new InferenceConfig(workerConfig());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics = endpoint.start("inference", registry);
        // Loading (and on a GPU, initialising CUDA) takes a while: "not ready" until the models are in.
        HealthFlag loaded = new HealthFlag("loading models");
        InferenceWorker worker;
        try {
            if (metrics != null) {
                metrics.readiness("models loaded", loaded);
            }
            // Models first: a wrong or missing model fails at once, before any wait on the cluster.
            worker = new InferenceWorker(config, registry);
            try (Admin admin = Admin.create(cluster.clientConfig())) {
                short replication = Topics.replicationFor(admin);
                Topics.ensure(
                        admin,
                        List.of(
                                Topics.dataTopic(
                                        config.getString(InferenceConfig.OUTPUT_TOPIC), partitions, replication),
                                Topics.dataTopic(config.getString(InferenceConfig.DLQ_TOPIC), 1, replication)));
            } catch (RuntimeException e) {
                worker.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        loaded.up();
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
        Foreground.run(
                () -> {
                    worker.close();
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
