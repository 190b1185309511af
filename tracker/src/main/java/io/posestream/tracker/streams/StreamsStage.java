package io.posestream.tracker.streams;

import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every Kafka Streams stage of the pipeline (the tracker, the analytics) does around its topology: creates its
 * topics where missing, starts, waits out a schema registry that is away, and closes cleanly. A stage says which
 * topics it needs and how it describes itself; instances with the same application id share the input partitions.
 */
public abstract class StreamsStage implements AutoCloseable {
    /** How long a stream thread waiting for the schema registry pauses before it is replaced and tries again. */
    static final Duration REGISTRY_RETRY = Duration.ofSeconds(5);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final String applicationId;
    private final Map<String, Object> clientConfig;
    private final List<String> bootstrapServers;
    private final KafkaStreams streams;
    private boolean closed;

    /**
     * @param name          for the log, e.g. {@code Tracker}
     * @param applicationId the Streams application id
     * @param clientConfig  the client settings as given (security included), for the admin client that makes topics
     * @param bootstrapServers the cluster
     * @param streamsConfig the Streams settings
     */
    protected StreamsStage(
            String name,
            String applicationId,
            Map<String, Object> clientConfig,
            List<String> bootstrapServers,
            Map<String, Object> streamsConfig,
            Topology topology) {
        this.name = name;
        this.applicationId = applicationId;
        this.clientConfig = Map.copyOf(clientConfig);
        this.bootstrapServers = List.copyOf(bootstrapServers);
        Properties properties = new Properties();
        properties.putAll(streamsConfig);
        this.streams = new KafkaStreams(topology, properties);
        streams.setStateListener((now, before) -> log.info("{} {} is {} (was {})", name, applicationId, now, before));
        streams.setUncaughtExceptionHandler(this::onThreadFailure);
    }

    /** The topics the stage reads and writes, created where missing, given the cluster's replication factor. */
    protected abstract List<NewTopic> topics(short replication);

    /** What the stage reads and writes and with which settings, for the start-up line. */
    protected abstract String describe();

    /**
     * A stream thread died. A schema it could not fetch while the registry is away is waited for: after a pause the
     * thread is replaced and reads its records again from the committed offsets (nothing lost, nothing
     * dead-lettered). Anything else stops the stage, said in the log.
     */
    StreamThreadExceptionResponse onThreadFailure(Throwable error) {
        if (SchemaRegistryException.isUnavailable(error)) {
            log.debug("Stream thread waits for the schema registry: {}", error.toString());
            try {
                Thread.sleep(REGISTRY_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("{} failed: {}", name, ClientErrors.describe(error), error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Creates missing topics and starts processing; returns at once. */
    public StreamsStage start() {
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
        try (Admin admin = Admin.create(adminConfig)) {
            Topics.ensure(admin, topics(Topics.replicationFor(admin)));
        }
        log.info("Starting {} {}: {}", name.toLowerCase(java.util.Locale.ROOT), applicationId, describe());
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Stops processing (commits, flushes the stores); callable from several threads, returns once stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A static member does not leave its group by itself: leave on a clean stop, so the other instances take its
        // partitions now rather than after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        log.info("{} {} stopped", name, applicationId);
    }
}
