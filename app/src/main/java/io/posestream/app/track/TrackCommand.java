package io.posestream.app.track;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.tracker.streams.TrackerApp;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posestream track}: the tracker as a Kafka Streams application, until Ctrl-C. */
@Command(
        name = "track",
        mixinStandardHelpOptions = true,
        modelTransformer = TrackCommand.Flags.class,
        description = "Track people: posestream.poses (PoseFrame) in, posestream.pose-events (PoseEvent) out, "
                + "as a Kafka Streams application (exactly-once by default). Runs until Ctrl-C.",
        subcommands = {ReplayCommand.class, SynthCommand.class})
public final class TrackCommand implements Callable<Integer> {
    /** The settings offered as flags; defaults and help come from {@link TrackerAppConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(TrackerAppConfig.definition())
            .flag("--application-id", TrackerAppConfig.APPLICATION_ID)
            .flag("--state-dir", TrackerAppConfig.STATE_DIR);

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
    SettingOverrides overrides;

    @Mixin
    EndpointOptions endpoint;

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig());
        config.putAll(FLAGS.values(spec));
        config.putAll(overrides.settings());
        TrackerAppConfig settings = new TrackerAppConfig(config);
        TrackerApp app = new TrackerApp(settings);
        // Kafka Streams ends a replaced stream thread by rethrowing its error; the JVM would print each one. The
        // tracker replaces a thread only while the schema registry is away, which its registry watch already said.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (SchemaRegistryException.isUnavailable(error)) {
                LoggerFactory.getLogger(TrackCommand.class).debug("{} ended: {}", thread.getName(), error.toString());
            } else {
                LoggerFactory.getLogger(TrackCommand.class).error("{} failed: {}", thread.getName(), error, error);
            }
        });
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Kafka Streams' own metrics (process rates, lag, the tracker's dropped-frames sensor) on /metrics.
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(app.streams());
        streamsMetrics.bindTo(registry);
        ServiceEndpoint metrics = endpoint.start("tracker", registry);
        if (metrics != null) {
            metrics.readiness(
                    "streams RUNNING",
                    () -> app.state() == KafkaStreams.State.RUNNING
                            ? HealthCheck.Result.up()
                            : HealthCheck.Result.down("streams " + app.state()));
            metrics.liveness(
                    "streams not failed",
                    HealthCheck.of(
                            () -> app.state() != KafkaStreams.State.ERROR
                                    && app.state() != KafkaStreams.State.PENDING_ERROR,
                            "streams failed (see the log)"));
        }
        ClusterWatch watch = startup.watch("tracker", "to read " + settings.inputTopic(), cluster, metrics);
        try {
            watch.awaitReachable();
            app.start();
        } catch (Exception e) {
            app.close();
            streamsMetrics.close();
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        Foreground.run(
                () -> {
                    app.close();
                    streamsMetrics.close();
                    watch.close();
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !app.state().isRunningOrRebalancing() && app.state() != KafkaStreams.State.CREATED);
        return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }
}
