package io.posestream.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.ClientErrors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.LoggerFactory;

/**
 * How a Kafka Streams stage runs as a command ({@code track}, {@code analyze}): a failed stream thread stops the
 * client, Streams' metrics and readiness/liveness on the endpoint, then the foreground until Ctrl-C or failure.
 */
public final class StreamsService {
    private StreamsService() {}

    /**
     * Runs the stage until Ctrl-C or until its streams stop; returns the exit code (1 when the streams failed).
     *
     * @param start creates topics and starts the streams
     * @param close stops the stage
     */
    public static int run(
            String service, KafkaStreams streams, Runnable start, Runnable close, EndpointOptions endpoint)
            throws Exception {
        streams.setUncaughtExceptionHandler(e -> {
            LoggerFactory.getLogger(StreamsService.class).error("{} failed: {}", service, ClientErrors.describe(e), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
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
        Runnable stop = () -> {
            close.run();
            streamsMetrics.close();
            if (metrics != null) {
                metrics.close();
            }
        };
        try {
            start.run();
        } catch (RuntimeException e) {
            stop.run();
            throw e;
        }
        Foreground.run(
                stop::run,
                () -> !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED);
        return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }
}
