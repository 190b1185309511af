package io.posestream.cli;

import io.posestream.observability.ServiceEndpoint;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a service starts against a cluster that may not be there yet: {@code --startup-timeout} (default: wait for
 * ever, as a container would be restarted anyway), declared once and mixed into every service. A service checks its
 * settings, starts its health endpoint, then {@link #watch watches} the cluster and waits for it:
 *
 * <pre>{@code
 * @Mixin StartupOptions startup;
 * ...
 * ClusterWatch watch = startup.watch("analyze", "to read posestream.pose-events", cluster, endpoint);
 * watch.awaitReachable();   // logs what it waits for; exits 69 after --startup-timeout
 * }</pre>
 */
public final class StartupOptions {
    @Option(
            names = "--startup-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Give up, with exit status " + StartupTimeoutException.EXIT_STATUS + ", when Kafka or the "
                    + "schema registry has not answered within this time at start: 90s, 5m, PT1M (env "
                    + "POSESTREAM_STARTUP_TIMEOUT; default: wait for ever).")
    Duration startupTimeout;

    /** The timeout given, or null for none. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /**
     * Watches the Kafka cluster and the schema registry of {@code cluster} for {@code service}, registering their
     * readiness checks on {@code endpoint} (when it is on).
     *
     * @param purpose what the service waits for them to do, e.g. {@code "to publish frames"}
     */
    public ClusterWatch watch(String service, String purpose, ClusterOptions cluster, ServiceEndpoint endpoint) {
        return new ClusterWatch(service, purpose, cluster.clientConfig(), true, endpoint, startupTimeout);
    }

    /** As above, for a service that needs Kafka only (the schema registry itself). */
    public ClusterWatch watch(String service, String purpose, KafkaOptions kafka, ServiceEndpoint endpoint) {
        return new ClusterWatch(service, purpose, kafka.clientConfig(), false, endpoint, startupTimeout);
    }
}
