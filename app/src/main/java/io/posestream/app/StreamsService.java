package io.posestream.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.LoggerFactory;

/**
 * How a Kafka Streams stage runs as a command ({@code track}, {@code analyze}): a failed stream thread stops the
 * client, Streams' metrics and readiness/liveness on the endpoint, then the foreground until Ctrl-C or failure.
 */
public final class StreamsService {
    private static final Duration REGISTRY_RETRY = Duration.ofSeconds(5);

    private StreamsService() {}

    /**
     * Runs the stage until Ctrl-C or until its streams stop; returns the exit code (1 when the streams failed).
     *
     * @param start creates topics and starts the streams
     * @param close stops the stage
     * @param watchCluster the stage's watch on Kafka and the registry, given its endpoint (null when off)
     */
    public static int run(
            String service,
            KafkaStreams streams,
            Runnable start,
            Runnable close,
            EndpointOptions endpoint,
            Function<ServiceEndpoint, ClusterWatch> watchCluster)
            throws Exception {
        streams.setUncaughtExceptionHandler(e -> {
            if (SchemaRegistryException.isUnavailable(e)) {
                // A schema that cannot be fetched while the registry is away: wait, then read the records again
                // from the committed offsets in a new thread (nothing lost, nothing dead-lettered).
                LoggerFactory.getLogger(StreamsService.class).debug("{} waits for the schema registry: {}", service, e);
                try {
                    Thread.sleep(REGISTRY_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LoggerFactory.getLogger(StreamsService.class).error("{} failed: {}", service, ClientErrors.describe(e), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
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
            close.run();
            streamsMetrics.close();
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
        };
        try {
            watch.awaitReachable();
            start.run();
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
