package io.posestream.cli;

import io.posestream.observability.DependencyWatch;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a service waits for before it connects, and watches while it runs: the Kafka cluster and (for pipeline
 * services) the schema registry, each a {@link DependencyWatch}. Made by {@link StartupOptions#watch}; the service
 * calls {@link #awaitReachable()} once its health endpoint is up, then starts its clients.
 *
 * <p>Readiness: {@code broker reachable} is down before the first answer and during every outage ("broker
 * unreachable since T"); {@code schema registry reachable} is down only until the first answer, since a running
 * service keeps going on the schemas it has cached.
 */
public final class ClusterWatch implements AutoCloseable {
    /** Names of the readiness checks, as they appear in {@code /health/ready}. */
    public static final String BROKER_CHECK = "broker reachable";

    public static final String REGISTRY_CHECK = "schema registry reachable";

    private final Duration startupTimeout;
    private final List<DependencyWatch> watches = new ArrayList<>();
    private final KafkaProbe kafkaProbe;

    ClusterWatch(
            String service,
            String purpose,
            Map<String, Object> clientConfig,
            boolean watchRegistry,
            ServiceEndpoint endpoint,
            Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
        String bootstrap = String.valueOf(clientConfig.get("bootstrap.servers"));
        this.kafkaProbe = new KafkaProbe(clientConfig, "posestream-" + service + "-watch");
        DependencyWatch broker = new DependencyWatch(service, "broker", maskBootstrap(bootstrap), purpose, kafkaProbe);
        watches.add(broker);
        if (endpoint != null) {
            endpoint.readiness(BROKER_CHECK, broker.readiness());
        }
        if (watchRegistry) {
            // The serde's own settings (URLs, basic auth from the options or a --config file, a private CA), with
            // short timeouts: a probe that answers in seconds, not the serde's 30 s.
            SchemaRegistryClient client =
                    new AvroSerdeConfig(clientConfig).createClient(Duration.ofSeconds(3), Duration.ofSeconds(5));
            DependencyWatch registry =
                    new DependencyWatch(service, "schema registry", client.describe(), purpose, client::ping);
            watches.add(registry);
            if (endpoint != null) {
                endpoint.readiness(REGISTRY_CHECK, registry.startupReadiness());
            }
        }
        watches.forEach(DependencyWatch::start);
    }

    /**
     * Waits until Kafka (and the registry, when watched) have answered once, for at most {@code --startup-timeout}
     * in all.
     *
     * @throws StartupTimeoutException naming what did not answer and why, when the timeout passed first
     */
    public void awaitReachable() throws InterruptedException {
        Instant deadline = startupTimeout == null ? null : Instant.now().plus(startupTimeout);
        for (DependencyWatch watch : watches) {
            Duration left = deadline == null ? null : Duration.between(Instant.now(), deadline);
            if (left != null && left.isNegative()) {
                left = Duration.ZERO;
            }
            if (!watch.awaitFirstAnswer(left)) {
                throw new StartupTimeoutException("the " + watch.describe() + " did not answer within "
                        + DurationConverter.format(startupTimeout) + " (--startup-timeout): " + watch.problem());
            }
        }
    }

    /** True while every watched dependency answers. */
    public boolean reachable() {
        return watches.stream().allMatch(DependencyWatch::reachable);
    }

    /** Kafka's watch. */
    public DependencyWatch broker() {
        return watches.get(0);
    }

    /**
     * Bootstrap servers as they may appear in logs: any {@code user:password@} part of an entry replaced by
     * {@code ***@}.
     */
    public static String maskBootstrap(String bootstrapServers) {
        List<String> masked = new ArrayList<>();
        for (String entry : bootstrapServers.split(",")) {
            String trimmed = entry.trim();
            int at = trimmed.lastIndexOf('@');
            if (at >= 0) {
                int scheme = trimmed.indexOf("://");
                String prefix = scheme >= 0 && scheme < at ? trimmed.substring(0, scheme + 3) : "";
                trimmed = prefix + "***@" + trimmed.substring(at + 1);
            }
            masked.add(trimmed);
        }
        return String.join(",", masked);
    }

    @Override
    public void close() {
        watches.forEach(DependencyWatch::close);
        kafkaProbe.close();
    }
}
