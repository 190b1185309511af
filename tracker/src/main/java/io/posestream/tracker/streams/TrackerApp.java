package io.posestream.tracker.streams;

import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryException;
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
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker as a running Kafka Streams application: creates its topics where missing, starts the topology and
 * closes it cleanly. Instances with the same application id share the input partitions (and so the cameras).
 */
public final class TrackerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerApp.class);
    /** How long a stream thread waiting for the schema registry pauses before it is replaced and tries again. */
    static final Duration REGISTRY_RETRY = Duration.ofSeconds(5);

    private final TrackerAppConfig config;
    private final KafkaStreams streams;
    private boolean closed;

    public TrackerApp(TrackerAppConfig config) {
        this.config = config;
        Map<String, Object> serdeConfig = config.serdeConfig();
        Topology topology = TrackerTopology.build(
                config.inputTopic(),
                config.outputTopic(),
                config.trackerConfig(),
                config.maxPersons(),
                AvroSerdes.specific(PoseFrame.class, serdeConfig, false),
                AvroSerdes.specific(PoseEvent.class, serdeConfig, false));
        Properties properties = new Properties();
        properties.putAll(config.streamsConfig());
        this.streams = new KafkaStreams(topology, properties);
        streams.setStateListener((now, before) ->
                LOG.info("Tracker {} is {} (was {})", config.getString(TrackerAppConfig.APPLICATION_ID), now, before));
        streams.setUncaughtExceptionHandler(TrackerApp::onThreadFailure);
    }

    /**
     * A stream thread died. A schema it could not fetch while the registry is away is waited for: after a pause the
     * thread is replaced and reads its records again from the committed offsets (nothing lost, nothing
     * dead-lettered). Anything else stops the tracker, said in the log.
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onThreadFailure(Throwable error) {
        if (SchemaRegistryException.isUnavailable(error)) {
            LOG.debug("Stream thread waits for the schema registry: {}", error.toString());
            try {
                Thread.sleep(REGISTRY_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("Tracker failed: {}", ClientErrors.describe(error), error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Creates missing topics and starts processing; returns at once. */
    public TrackerApp start() {
        ensureTopics();
        LOG.info(
                "Starting tracker {}: {} -> {} (dead letters to {}), {} with {}",
                config.getString(TrackerAppConfig.APPLICATION_ID),
                config.inputTopic(),
                config.outputTopic(),
                config.dlqTopic(),
                config.getString(TrackerAppConfig.PROCESSING_GUARANTEE),
                config.trackerConfig());
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
        // The client settings as given (security included); the admin client ignores the Streams-only ones.
        Map<String, Object> adminConfig = new HashMap<>(config.serdeConfig());
        adminConfig.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", config.getList(TrackerAppConfig.BOOTSTRAP_SERVERS)));
        try (Admin admin = Admin.create(adminConfig)) {
            short replication = Topics.replicationFor(admin);
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(config.inputTopic(), config.topicPartitions(), replication),
                            Topics.dataTopic(config.outputTopic(), config.topicPartitions(), replication),
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
        // A static member does not leave its group by itself: leave on a clean stop, so the other instances take its
        // cameras now rather than after the session timeout.
        streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                        org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        LOG.info("Tracker {} stopped", config.getString(TrackerAppConfig.APPLICATION_ID));
    }
}
