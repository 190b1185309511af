package io.posestream.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.tracker.streams.StreamsStage;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.LoggerFactory;

/**
 * How a Kafka Streams stage ({@link StreamsStage}) runs as a command ({@code track}, {@code analyze}): Streams'
 * metrics and readiness/liveness on the endpoint, the wait for the cluster, then the foreground until Ctrl-C or
 * failure.
 */
public final class StreamsService {
    private StreamsService() {}

    /**
     * Runs the stage until Ctrl-C or until its streams stop; returns the exit code (1 when the streams failed).
     *
     * @param watchCluster the stage's watch on Kafka and the registry, given its endpoint (null when off)
     */
    public static int run(
            String service,
            StreamsStage stage,
            EndpointOptions endpoint,
            Function<ServiceEndpoint, ClusterWatch> watchCluster)
            throws Exception {
        KafkaStreams streams = stage.streams();
        // Streams ends a replaced thread by rethrowing its error; the JVM would print each one. Threads are replaced
        // only while the registry is away, which the registry watch has said once already.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (SchemaRegistryException.isUnavailable(error)) {
                LoggerFactory.getLogger(StreamsService.class).debug("{} ended: {}", thread.getName(), error.toString());
            } else {
                LoggerFactory.getLogger(StreamsService.class).error("{} failed: {}", thread.getName(), error, error);
            }
        });
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Kafka Streams' own metrics (process rates, lag, the stage's sensors) on /metrics.
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        ServiceEndpoint metrics = endpoint.start(service, registry);
        if (metrics != null) {
            metrics.readiness(
                    "streams RUNNING",
                    () -> streams.state() == KafkaStreams.State.RUNNING
                            ? HealthCheck.Result.up()
                            : HealthCheck.Result.down("streams " + streams.state()));
            metrics.liveness(
                    "streams not failed",
                    HealthCheck.of(
                            () -> streams.state() != KafkaStreams.State.ERROR
                                    && streams.state() != KafkaStreams.State.PENDING_ERROR,
                            "streams failed (see the log)"));
        }
        // Health first, then wait for the cluster (one line while waiting; --startup-timeout), then start.
        ClusterWatch watch = watchCluster.apply(metrics);
        Runnable stop = () -> {
            stage.close();
            streamsMetrics.close();
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
        };
        try {
            watch.awaitReachable();
            stage.start();
        } catch (Exception e) {
            stop.run();
            throw e;
        }
        Foreground.run(
                stop::run,
                () -> !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED);
        return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }
}
