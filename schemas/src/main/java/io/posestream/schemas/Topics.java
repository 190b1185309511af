package io.posestream.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * posestream's topics and their settings, created in this one place. Record size limits for frames are set
 * here on the topic and handed to producers and consumers so the three always agree.
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    public static final String FRAMES = "posestream.frames";
    public static final String POSES = "posestream.poses";
    public static final String POSE_EVENTS = "posestream.pose-events";
    /** Activity events of the analytics stage (zones, lines, falls, gestures), keyed by camera id. */
    public static final String ACTIVITY_EVENTS = "posestream.activity-events";
    /** Current count per zone, keyed by {@code cameraId/zone}; compacted, so the latest count per zone stays. */
    public static final String ZONE_COUNTS = "posestream.zone-counts";
    /** Confluent's registry topic name, so a cp-schema-registry could take over the same data. */
    public static final String SCHEMAS = "_schemas";

    public static final String DLQ_SUFFIX = ".dlq";

    /** Largest record a topic accepts: a 4K JPEG frame fits with room to spare. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    /** Room for record batch and header overhead on top of one record. */
    private static final int REQUEST_HEADROOM_BYTES = 64 * 1024;

    /** Partitions of a pipeline topic created by posestream when none is given: cameras spread over 4 consumers. */
    public static final int DEFAULT_PARTITIONS = 4;

    private Topics() {}

    /** Dead-letter topic of a topic: records its consumer could not handle, with headers naming the error. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** The pipeline's topics plus their dead-letter topics and the analytics outputs, each with its settings. */
    public static List<NewTopic> pipelineTopics(int partitions, short replication) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of(FRAMES, POSES, POSE_EVENTS)) {
            topics.add(dataTopic(topic, partitions, replication));
            topics.add(dataTopic(dlq(topic), 1, replication));
        }
        // The analytics stage's outputs (its dead letters are pose events'): an operator creates them with the rest.
        topics.add(dataTopic(ACTIVITY_EVENTS, partitions, replication));
        topics.add(compactedTopic(ZONE_COUNTS, partitions, replication));
        return topics;
    }

    /**
     * The analytics stage's output topics with their settings: {@link #ACTIVITY_EVENTS} as a data topic and the
     * compacted {@link #ZONE_COUNTS}. Created by an operator beside {@link #pipelineTopics} where the analytics may not
     * create topics itself.
     */
    public static List<NewTopic> analyticsTopics(int partitions, short replication) {
        return List.of(
                dataTopic(ACTIVITY_EVENTS, partitions, replication),
                compactedTopic(ZONE_COUNTS, partitions, replication));
    }

    /** A registry topic ({@link #SCHEMAS} by default): one partition (one order of schema writes), compacted. */
    public static NewTopic registryTopic(String name, short replication) {
        return new NewTopic(name, 1, replication)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        Integer.toString(Math.max(1, replication - 1))));
    }

    /** A compacted topic of current values (one per key), such as {@link #ZONE_COUNTS}. */
    public static NewTopic compactedTopic(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** A topic with the pipeline's data settings (frame-sized records, live-data retention). */
    public static NewTopic dataTopic(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication)
                .configs(Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES),
                        // Frames are live data: an hour of history is plenty for replay and debugging.
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.HOURS.toMillis(1))));
    }

    /** Producer settings that let frame-sized records through. */
    public static Map<String, Object> producerSizing() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES + REQUEST_HEADROOM_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * (MAX_MESSAGE_BYTES + REQUEST_HEADROOM_BYTES));
        return config;
    }

    /** Consumer settings that fetch frame-sized records. */
    public static Map<String, Object> consumerSizing() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES + REQUEST_HEADROOM_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * (MAX_MESSAGE_BYTES + REQUEST_HEADROOM_BYTES));
        return config;
    }

    /** Replication factor for a cluster: 3 where there are enough brokers, else all of them. */
    public static short replicationFor(Admin admin) {
        try {
            int brokers =
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return (short) Math.max(1, Math.min(3, brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while describing the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot describe the Kafka cluster: " + e.getMessage(), e);
        }
    }

    /** Creates those of the given topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(Admin admin, List<NewTopic> wanted) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaException(
                    "Cannot create topics "
                            + wanted.stream().map(NewTopic::name).toList() + ": " + cause.getMessage(),
                    cause);
        }
    }
}
