package io.posestream.analytics.streams;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics as a running Kafka Streams application: creates its output topics where missing, starts the
 * topology and closes it cleanly. Instances with the same application id share the cameras.
 */
public final class AnalyticsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApp.class);

    private final AnalyticsAppConfig config;
    private final KafkaStreams streams;
    private boolean closed;

    public AnalyticsApp(AnalyticsAppConfig config) {
        this.config = config;
        Map<String, Object> serdeConfig = config.serdeConfig();
        Topology topology = AnalyticsTopology.build(
                config.inputTopic(),
                config.outputTopic(),
                config.countsTopic(),
                config.rules(),
                AvroSerdes.specific(PoseEvent.class, serdeConfig, false),
                AvroSerdes.specific(ActivityEvent.class, serdeConfig, false),
                AvroSerdes.specific(ZoneCount.class, serdeConfig, false));
        Properties properties = new Properties();
        properties.putAll(config.streamsConfig());
        this.streams = new KafkaStreams(topology, properties);
        streams.setStateListener((now, before) -> LOG.info(
                "Analytics {} is {} (was {})", config.getString(AnalyticsAppConfig.APPLICATION_ID), now, before));
    }

    /** Creates missing topics and starts processing; returns at once. */
    public AnalyticsApp start() {
        ensureTopics();
        LOG.info(
                "Starting analytics {}: {} -> {} and {} (dead letters to {}), {}, {} rules for cameras {}",
                config.getString(AnalyticsAppConfig.APPLICATION_ID),
                config.inputTopic(),
                config.outputTopic(),
                config.countsTopic(),
                config.dlqTopic(),
                config.getString(AnalyticsAppConfig.PROCESSING_GUARANTEE),
                config.rules().ruleCount(),
                config.rules().cameras().keySet());
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    private void ensureTopics() {
        Map<String, Object> adminConfig = new HashMap<>(config.serdeConfig());
        adminConfig.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", config.getList(AnalyticsAppConfig.BOOTSTRAP_SERVERS)));
        try (Admin admin = Admin.create(adminConfig)) {
            short replication = Topics.replicationFor(admin);
            int partitions = config.topicPartitions();
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(config.inputTopic(), partitions, replication),
                            Topics.dataTopic(config.outputTopic(), partitions, replication),
                            Topics.compactedTopic(config.countsTopic(), partitions, replication),
                            Topics.dataTopic(config.dlqTopic(), 1, replication)));
        }
    }

    /** Stops processing (commits, flushes the store); callable from several threads, returns once stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        streams.close(Duration.ofSeconds(30));
        LOG.info("Analytics {} stopped", config.getString(AnalyticsAppConfig.APPLICATION_ID));
    }
}
