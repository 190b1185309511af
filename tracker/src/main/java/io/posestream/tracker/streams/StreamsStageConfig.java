package io.posestream.tracker.streams;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings every posestream Kafka Streams stage (the tracker, the analytics downstream of it) derives alike
 * from its own declared settings: what goes to the Avro serdes, and what goes to Kafka Streams with the stage's
 * defaults and its dead letters. The stage's own keys (its prefix) go to neither.
 */
public final class StreamsStageConfig {
    private StreamsStageConfig() {}

    /** Settings for the Avro serdes: everything given but the stage's own keys. */
    public static Map<String, Object> serdeConfig(Map<String, Object> originals, String prefix) {
        Map<String, Object> serde = new HashMap<>(originals);
        serde.keySet().removeIf(key -> key.startsWith(prefix));
        return serde;
    }

    /**
     * Kafka Streams settings: the serde settings plus the cluster, application id, state directory, guarantee and
     * commit interval as declared, undecodable input to {@code dlqTopic} with {@code stage} in its headers.
     */
    public static Map<String, Object> streamsConfig(
            AbstractConfig config, String prefix, String dlqTopic, String stage) {
        Map<String, Object> streams = serdeConfig(config.originals(), prefix);
        streams.put(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", config.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)));
        streams.put(
                TrackerAppConfig.SCHEMA_REGISTRY_URL,
                String.join(",", config.getList(TrackerAppConfig.SCHEMA_REGISTRY_URL)));
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(StreamsConfig.APPLICATION_ID_CONFIG));
        streams.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(StreamsConfig.STATE_DIR_CONFIG));
        streams.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        streams.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        streams.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        streams.put(DeadLetterHandler.TOPIC_CONFIG, dlqTopic);
        streams.put(DeadLetterHandler.STAGE_CONFIG, stage);
        // Kafka 5.0's default, opted into now: Streams warns at every start while it is off.
        streams.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return streams;
    }
}
