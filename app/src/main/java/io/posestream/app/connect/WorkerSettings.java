package io.posestream.app.connect;

import io.posestream.schemas.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Connect worker properties {@code posestream connect} runs with, built from its options: internal topics named
 * after the group, exactly-once source support, a short rebalance delay so a dead worker's cameras move within
 * seconds, file and environment config providers for camera passwords, producers sized for frames, and Kafka client
 * settings (SASL, TLS) applied to the worker and to the clients it makes for tasks. {@code --worker KEY=VALUE} wins
 * over all of it.
 *
 * @param bootstrapServers  Kafka
 * @param groupId           the Connect cluster: workers with the same group id share connectors and tasks
 * @param restAddress       address of the Connect REST API
 * @param restPort          port of the Connect REST API
 * @param advertisedHost    host other workers reach this one's REST API at, or null for Connect's choice
 * @param pluginPath        directory holding plugin directories (posestream-connect/lib/*.jar)
 * @param exactlyOnce       {@code exactly.once.source.support=enabled}
 * @param rebalanceDelayMs  {@code scheduled.rebalance.max.delay.ms}: how long a departed worker's tasks wait for it
 * @param kafkaClient       client settings passed through (security.protocol, sasl.*, ssl.*)
 * @param worker            any worker setting, applied last
 */
public record WorkerSettings(
        String bootstrapServers,
        String groupId,
        String restAddress,
        int restPort,
        String advertisedHost,
        Path pluginPath,
        boolean exactlyOnce,
        long rebalanceDelayMs,
        Map<String, ?> kafkaClient,
        Map<String, String> worker) {
    static final String METRIC_REPORTERS =
            "org.apache.kafka.common.metrics.JmxReporter," + KafkaMetricsBridge.class.getName();

    /** The worker properties. */
    public Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        kafkaClient.forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                String text = String.valueOf(value);
                // The worker's own clients read the plain keys; the clients it makes for tasks read prefixed ones.
                props.put(key, text);
                props.put("producer." + key, text);
                props.put("consumer." + key, text);
                props.put("admin." + key, text);
            }
        });
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        // -1: the brokers' default.replication.factor, right for one broker and for a production cluster alike.
        props.put("config.storage.replication.factor", "-1");
        props.put("offset.storage.replication.factor", "-1");
        props.put("status.storage.replication.factor", "-1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("listeners", "http://" + restAddress + ":" + restPort);
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            props.put("rest.advertised.host.name", advertisedHost);
        }
        props.put("plugin.path", pluginPath.toAbsolutePath().normalize().toString());
        // Plugins declare themselves in ServiceLoader manifests (posestream-connect does): no class scan of every
        // jar, which takes tens of seconds with JavaCV's natives.
        props.put("plugin.discovery", "service_load");
        props.put("exactly.once.source.support", exactlyOnce ? "enabled" : "disabled");
        props.put("scheduled.rebalance.max.delay.ms", Long.toString(rebalanceDelayMs));
        props.put("config.providers", "file,env");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Topics.producerSizing().forEach((key, value) -> props.put("producer." + key, String.valueOf(value)));
        // Frames are live: send at once (a frame is tens of KB), no compression (JPEG does not compress).
        props.put("producer.linger.ms", "0");
        props.put("producer.compression.type", "none");
        props.put("metric.reporters", METRIC_REPORTERS);
        props.putAll(worker);
        return props;
    }
}
