package io.posestream.tracker.streams;

import io.posestream.config.ServiceConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.tracker.core.TrackerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the tracker application, declared once. Tracker thresholds ({@code tracker.*}) default to
 * {@link TrackerConfig#DEFAULTS}; any other key (for example {@code num.stream.threads}, security settings) goes
 * to Kafka Streams and its clients as it is, and Streams validates it.
 */
public final class TrackerAppConfig extends ServiceConfig {
    /** Producer batch size unless {@code batch.size} or {@code producer.batch.size} is given. */
    public static final int PRODUCER_BATCH_BYTES = 512 * 1024;

    public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
    public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String COMMIT_INTERVAL_MS = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String INPUT_TOPIC = "tracker.input.topic";
    public static final String OUTPUT_TOPIC = "tracker.output.topic";
    public static final String DLQ_TOPIC = "tracker.dlq.topic";
    public static final String TOPIC_PARTITIONS = "tracker.topic.partitions";
    public static final String MIN_HITS = "tracker.min.hits";
    public static final String MAX_LOST_MS = "tracker.max.lost.ms";
    public static final String HIGH_SCORE = "tracker.high.score";
    public static final String LOW_SCORE = "tracker.low.score";
    public static final String NEW_TRACK_SCORE = "tracker.new.track.score";
    public static final String MIN_SIMILARITY = "tracker.min.similarity";
    public static final String LOW_MIN_SIMILARITY = "tracker.low.min.similarity";
    public static final String OKS_WEIGHT = "tracker.oks.weight";
    public static final String KEYPOINT_THRESHOLD = "tracker.keypoint.threshold";
    public static final String VELOCITY_SMOOTHING = "tracker.velocity.smoothing";
    public static final String MAX_PREDICTION_MS = "tracker.max.prediction.ms";
    public static final String STATIC_MEMBERSHIP = "tracker.static.membership";
    /** The consumer session timeout unless {@code session.timeout.ms} is given (Kafka's default is 45 s). */
    public static final int SESSION_TIMEOUT_MS = 15_000;

    private static final TrackerConfig DEFAULTS = TrackerConfig.DEFAULTS;
    private static final Range UNIT = Range.between(0.0, 1.0);

    /** The tracker thresholds alone, for offline use (replay) where there is no cluster. */
    private static final ConfigDef TRACKER_DEFINITION = new ConfigDef()
            .define(
                    MIN_HITS,
                    Type.INT,
                    DEFAULTS.minHits(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Matches a tentative track needs to become confirmed.")
            .define(
                    MAX_LOST_MS,
                    Type.LONG,
                    DEFAULTS.maxLostMs(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Capture time a lost track is kept for re-association before it is removed.")
            .define(
                    HIGH_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.highScore(),
                    UNIT,
                    Importance.LOW,
                    "Person score from which a detection takes part in the first association pass.")
            .define(
                    LOW_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.lowScore(),
                    UNIT,
                    Importance.LOW,
                    "Person score from which a detection takes part in the second (low-score) pass.")
            .define(
                    NEW_TRACK_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.newTrackScore(),
                    UNIT,
                    Importance.LOW,
                    "Person score a detection needs to start a track.")
            .define(
                    MIN_SIMILARITY,
                    Type.DOUBLE,
                    DEFAULTS.minSimilarity(),
                    UNIT,
                    Importance.LOW,
                    "Least similarity (OKS and IoU blend) of a track and a detection in the first pass.")
            .define(
                    LOW_MIN_SIMILARITY,
                    Type.DOUBLE,
                    DEFAULTS.lowMinSimilarity(),
                    UNIT,
                    Importance.LOW,
                    "Least similarity in the second (low-score) pass.")
            .define(
                    OKS_WEIGHT,
                    Type.DOUBLE,
                    DEFAULTS.oksWeight(),
                    UNIT,
                    Importance.LOW,
                    "Weight of OKS in the similarity; box IoU gets the rest.")
            .define(
                    KEYPOINT_THRESHOLD,
                    Type.DOUBLE,
                    DEFAULTS.keypointThreshold(),
                    UNIT,
                    Importance.LOW,
                    "Keypoint score from which a keypoint counts in OKS.")
            .define(
                    VELOCITY_SMOOTHING,
                    Type.DOUBLE,
                    DEFAULTS.velocitySmoothing(),
                    Range.between(0.001, 1.0),
                    Importance.LOW,
                    "Weight of the newest velocity measurement.")
            .define(
                    MAX_PREDICTION_MS,
                    Type.LONG,
                    DEFAULTS.maxPredictionMs(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "Longest time the motion model extrapolates a track.");

    private static final ConfigDef DEFINITION = new ConfigDef(TRACKER_DEFINITION)
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka cluster.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Schema registry URL(s) (Confluent REST API).")
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "posestream-tracker",
                    Importance.HIGH,
                    "Kafka Streams application id: instances with the same id share the cameras.")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    System.getProperty("java.io.tmpdir") + "/posestream-tracker",
                    Importance.MEDIUM,
                    "Directory of the local state stores (rebuilt from the changelog if lost).")
            .define(
                    PROCESSING_GUARANTEE,
                    Type.STRING,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM,
                    "exactly_once_v2 (default) or at_least_once.")
            .define(
                    COMMIT_INTERVAL_MS,
                    Type.LONG,
                    100L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "How often to commit (and, with exactly-once, make output visible).")
            .define(INPUT_TOPIC, Type.STRING, Topics.POSES, Importance.LOW, "PoseFrame input topic.")
            .define(OUTPUT_TOPIC, Type.STRING, Topics.POSE_EVENTS, Importance.LOW, "PoseEvent output topic.")
            .define(
                    DLQ_TOPIC,
                    Type.STRING,
                    Topics.dlq(Topics.POSES),
                    Importance.LOW,
                    "Dead-letter topic for undecodable input records.")
            .define(
                    TOPIC_PARTITIONS,
                    Type.INT,
                    4,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Partitions of the input and output topics when the tracker has to create them.")
            .define(
                    STATIC_MEMBERSHIP,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Join the consumer group as a static member, with a group.instance.id (unless one is given) made "
                            + "of the application id, the host name and a hash of the state directory: unique per "
                            + "instance, the same across its restarts. After its producer is fenced (a restarted broker "
                            + "aborting an open transaction) or a restart, an instance rejoins as itself at once "
                            + "instead of waiting for its old membership to time out.");

    /** Prefix of the tracker's own keys: an unknown key with it is a typo, not a Streams setting. */
    public static final String PREFIX = "tracker.";

    public TrackerAppConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, PREFIX);
        trackerConfig();
    }

    /** All declared settings, for documentation and CLI help. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** Tracker thresholds from {@code tracker.*} settings alone (the rest defaulted); bad values name the key. */
    public static TrackerConfig trackerConfig(Map<?, ?> settings) {
        return new TrackerSettings(settings).trackerConfig();
    }

    private static final class TrackerSettings extends ServiceConfig {
        TrackerSettings(Map<?, ?> originals) {
            super(TRACKER_DEFINITION, originals, PREFIX);
        }

        TrackerConfig trackerConfig() {
            return read(this);
        }
    }

    public TrackerConfig trackerConfig() {
        return read(this);
    }

    private static TrackerConfig read(AbstractConfig c) {
        try {
            return new TrackerConfig(
                    c.getInt(MIN_HITS),
                    c.getLong(MAX_LOST_MS),
                    c.getDouble(HIGH_SCORE),
                    c.getDouble(LOW_SCORE),
                    c.getDouble(NEW_TRACK_SCORE),
                    c.getDouble(MIN_SIMILARITY),
                    c.getDouble(LOW_MIN_SIMILARITY),
                    c.getDouble(OKS_WEIGHT),
                    c.getDouble(KEYPOINT_THRESHOLD),
                    c.getDouble(VELOCITY_SMOOTHING),
                    c.getLong(MAX_PREDICTION_MS));
        } catch (IllegalArgumentException e) {
            // Cross-field rules (e.g. low score above high score), reported with the keys an operator sets.
            throw new ConfigException("Invalid tracker settings (" + LOW_SCORE + " must not exceed " + HIGH_SCORE
                    + "): " + e.getMessage());
        }
    }

    /** Whether a consumer setting was given in any of the forms Streams reads (plain, consumer., main.consumer.). */
    private boolean givenForConsumer(String key) {
        return originals().containsKey(key)
                || originals().containsKey(StreamsConfig.consumerPrefix(key))
                || originals().containsKey(StreamsConfig.mainConsumerPrefix(key));
    }

    /**
     * The derived group.instance.id: application id, host name and a hash of the absolute state directory, so two
     * instances on one host (which need two state directories) differ and a restarted instance is itself again.
     */
    public String instanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        String dir = java.nio.file.Path.of(getString(STATE_DIR))
                .toAbsolutePath()
                .normalize()
                .toString();
        return getString(APPLICATION_ID) + "-" + host + "-" + Integer.toHexString(dir.hashCode());
    }

    public String inputTopic() {
        return getString(INPUT_TOPIC);
    }

    public String outputTopic() {
        return getString(OUTPUT_TOPIC);
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC);
    }

    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS);
    }

    /** Settings for the Avro serdes (registry URL and any other serde keys given). */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>(originals());
        serde.keySet().removeIf(key -> key.startsWith(PREFIX));
        return serde;
    }

    /** Kafka Streams settings: everything but the tracker's own keys, with this application's defaults. */
    public Map<String, Object> streamsConfig() {
        Map<String, Object> streams = serdeConfig();
        streams.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        streams.put(SCHEMA_REGISTRY_URL, String.join(",", getList(SCHEMA_REGISTRY_URL)));
        streams.put(APPLICATION_ID, getString(APPLICATION_ID));
        streams.put(STATE_DIR, getString(STATE_DIR));
        streams.put(PROCESSING_GUARANTEE, getString(PROCESSING_GUARANTEE));
        streams.put(COMMIT_INTERVAL_MS, getLong(COMMIT_INTERVAL_MS));
        streams.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        streams.put(DeadLetterHandler.TOPIC_CONFIG, dlqTopic());
        // Kafka 5.0's default, opted into now: Streams warns at every start while it is off.
        streams.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Pose frames are small, but a frame with many persons can pass the 1 MiB default.
        streams.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), Topics.MAX_MESSAGE_BYTES);
        // The one producer carries events, changelog and dead letters. Kafka's 16 KiB batches hold one event of
        // 50 persons (~12 KB), and the idempotent producer has at most 5 requests in flight per broker, so the
        // output was round-trip bound: 512 KiB batches raised bench tracker from ~31k to ~55k poses/s at 10
        // persons per frame (docs/tracker.md). Below the brokers' default message.max.bytes (1 MiB), which the
        // changelog topic, created by Streams, keeps. linger.ms stays Streams' 100 ms: a commit flushes anyway.
        if (!originals().containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            streams.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        }
        // Recovery after a broker restart (docs/operations.md): the coordinator of a restarted broker aborts every
        // transaction open at the crash that is older than transaction.timeout.ms, fencing its producer. Streams then
        // drops its tasks and re-subscribes; a dynamic member does so under a new member id, and its old one (whose
        // best-effort LeaveGroup is lost while the coordinator is away or loading) holds the rebalance until the
        // session times out. A static member rejoins as itself and replaces its old membership at once.
        // A crashed instance's cameras move to the others after the session timeout: 15 s rather than Kafka's 45 s.
        // Heartbeats come from the consumer's own thread every 3 s, so a busy instance is not taken for dead.
        if (!givenForConsumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
            streams.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        }
        if (getBoolean(STATIC_MEMBERSHIP) && !givenForConsumer(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
            streams.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId());
        }
        return streams;
    }
}
