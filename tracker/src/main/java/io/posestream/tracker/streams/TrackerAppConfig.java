package io.posestream.tracker.streams;

import io.posestream.config.ServiceConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.tracker.core.TrackerConfig;
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
    public static final String MAX_PERSONS = "tracker.max.persons";

    /** Prefix of the tracker's own keys: an unknown key with it is a typo, not a Kafka Streams setting. */
    public static final String PREFIX = "tracker.";

    public static final String MIN_HITS = "tracker.min.hits";
    public static final String TENTATIVE_MAX_MISSES = "tracker.tentative.max.misses";
    public static final String TENTATIVE_MAX_LOST_MS = "tracker.tentative.max.lost.ms";
    public static final String MAX_LOST_MS = "tracker.max.lost.ms";
    public static final String MIN_LOST_FRAMES = "tracker.min.lost.frames";
    public static final String SCORE_QUANTILE = "tracker.score.quantile";
    public static final String HIGH_SCORE = "tracker.high.score.fraction";
    public static final String LOW_SCORE = "tracker.low.score.fraction";
    public static final String NEW_TRACK_SCORE = "tracker.new.track.score.fraction";
    public static final String MIN_SIMILARITY = "tracker.min.similarity";
    public static final String LOW_MIN_SIMILARITY = "tracker.low.min.similarity";
    public static final String OKS_WEIGHT = "tracker.oks.weight";
    public static final String KEYPOINT_THRESHOLD = "tracker.keypoint.threshold";
    public static final String POSITION_NOISE = "tracker.position.noise";
    public static final String ACCELERATION_NOISE = "tracker.acceleration.noise";
    public static final String INITIAL_SPEED = "tracker.initial.speed";
    public static final String MOTION_GATE = "tracker.motion.gate";
    public static final String MAX_POSITION_UNCERTAINTY = "tracker.max.position.uncertainty";
    public static final String MAX_PREDICTION_MS = "tracker.max.prediction.ms";
    public static final String STATIC_MEMBERSHIP = "tracker.static.membership";
    /** The consumer session timeout unless {@code session.timeout.ms} is given (Kafka's default is 45 s). */
    public static final int SESSION_TIMEOUT_MS = 15_000;

    public static final String SMOOTHING_MIN_CUTOFF_HZ = "tracker.smoothing.min.cutoff.hz";
    public static final String SMOOTHING_BETA = "tracker.smoothing.beta";
    public static final String SMOOTHING_OUTLIER = "tracker.smoothing.outlier";
    public static final String LOW_MAX_HEIGHT_RATIO = "tracker.low.max.height.ratio";
    public static final String REPORT_LOST_FRAMES = "tracker.report.lost.frames";
    public static final String APPEARANCE_WEIGHT = "tracker.appearance.weight";
    public static final String REID_WINDOW_MS = "tracker.reid.window.ms";
    public static final String MIN_REFERENCE_SCORE = "tracker.min.reference.score";

    /** Keys of earlier releases whose meaning changed: refused with what replaces them, never silently ignored. */
    private static final Map<String, String> REPLACED = Map.of(
            "tracker.high.score",
            HIGH_SCORE + " (a fraction of the camera's reference score, not an absolute score)",
            "tracker.low.score",
            LOW_SCORE + " (a fraction of the camera's reference score, not an absolute score)",
            "tracker.new.track.score",
            NEW_TRACK_SCORE + " (a fraction of the camera's reference score, not an absolute score)",
            "tracker.velocity.smoothing",
            "the Kalman filter's " + POSITION_NOISE + " and " + ACCELERATION_NOISE);

    private static final TrackerConfig DEFAULTS = TrackerConfig.DEFAULTS;
    private static final Range UNIT = Range.between(0.0, 1.0);
    private static final Range POSITIVE = Range.between(1e-6, Double.MAX_VALUE);

    /** The tracker thresholds alone, for offline use (replay) where there is no cluster. */
    private static final ConfigDef TRACKER_DEFINITION = new ConfigDef()
            .define(
                    MIN_HITS,
                    Type.INT,
                    DEFAULTS.minHits(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Matches a tentative track needs to become confirmed (not necessarily in consecutive posed frames).")
            .define(
                    TENTATIVE_MAX_MISSES,
                    Type.INT,
                    DEFAULTS.tentativeMaxMisses(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Posed frames in a row a tentative track may miss before it is removed (0: at its first miss).")
            .define(
                    TENTATIVE_MAX_LOST_MS,
                    Type.LONG,
                    DEFAULTS.tentativeMaxLostMs(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Capture time a tentative track may go unmatched before it is removed (0: at its first miss).")
            .define(
                    MAX_LOST_MS,
                    Type.LONG,
                    DEFAULTS.maxLostMs(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Capture time a lost track is kept for re-association before it is removed.")
            .define(
                    MIN_LOST_FRAMES,
                    Type.INT,
                    DEFAULTS.minLostFrames(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "However slowly a camera is posed, a lost track waits at least this many of its mean posed "
                            + "intervals (a tentative one tracker.tentative.max.misses of them).")
            .define(
                    REPORT_LOST_FRAMES,
                    Type.INT,
                    DEFAULTS.reportLostFrames(),
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Posed frames in a row a confirmed track may miss and still be reported, at its motion prediction, "
                            + "in the tracker's output (offline replay and evaluation; live events carry such a "
                            + "person as LOST either way); 0 reports matched tracks only.")
            .define(
                    SCORE_QUANTILE,
                    Type.DOUBLE,
                    DEFAULTS.scoreQuantile(),
                    Range.between(0.01, 1.0),
                    Importance.LOW,
                    "Quantile of the camera's recent person scores that is its reference score; score thresholds are "
                            + "fractions of it.")
            .define(
                    HIGH_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.highScore(),
                    UNIT,
                    Importance.LOW,
                    "Fraction of the reference score from which a detection takes part in the first association pass.")
            .define(
                    LOW_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.lowScore(),
                    UNIT,
                    Importance.LOW,
                    "Fraction of the reference score from which a detection takes part in the second (low-score) "
                            + "pass; below it detections are ignored.")
            .define(
                    NEW_TRACK_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.newTrackScore(),
                    UNIT,
                    Importance.LOW,
                    "Fraction of the reference score a detection needs to start a track.")
            .define(
                    MIN_SIMILARITY,
                    Type.DOUBLE,
                    DEFAULTS.minSimilarity(),
                    UNIT,
                    Importance.LOW,
                    "Least similarity (OKS and motion likelihood blend) of a track and a detection in the first pass.")
            .define(
                    LOW_MIN_SIMILARITY,
                    Type.DOUBLE,
                    DEFAULTS.lowMinSimilarity(),
                    UNIT,
                    Importance.LOW,
                    "Least similarity in the second (low-score) pass.")
            .define(
                    LOW_MAX_HEIGHT_RATIO,
                    Type.DOUBLE,
                    DEFAULTS.lowMaxHeightRatio(),
                    Range.atLeast(1.0),
                    Importance.LOW,
                    "In the second (low-score) pass, a detection whose box is more than this many times taller or "
                            + "shorter than the track's last box is not the track's person.")
            .define(
                    OKS_WEIGHT,
                    Type.DOUBLE,
                    DEFAULTS.oksWeight(),
                    UNIT,
                    Importance.LOW,
                    "Weight of OKS in the similarity; the motion likelihood gets the rest.")
            .define(
                    APPEARANCE_WEIGHT,
                    Type.DOUBLE,
                    DEFAULTS.appearanceWeight(),
                    UNIT,
                    Importance.LOW,
                    "Weight of the clothing's colours (Person.appearance, when inference sends it) in the similarity "
                            + "of a pair inside the motion gate; 0 ignores them.")
            .define(
                    REID_WINDOW_MS,
                    Type.LONG,
                    DEFAULTS.reidWindowMs(),
                    Range.atLeast(0L),
                    Importance.LOW,
                    "How long past its lost window a lost track whose colours are known stays DORMANT (not in the "
                            + "events) to be found again by its colours; 0 removes it at the lost window.")
            .define(
                    MIN_REFERENCE_SCORE,
                    Type.DOUBLE,
                    DEFAULTS.minReferenceScore(),
                    UNIT,
                    Importance.LOW,
                    "The least reference score: on a camera that has seen only clutter, the reference would be the "
                            + "clutter's own score and the clutter would be tracked.")
            .define(
                    KEYPOINT_THRESHOLD,
                    Type.DOUBLE,
                    DEFAULTS.keypointThreshold(),
                    UNIT,
                    Importance.LOW,
                    "Keypoint score from which a keypoint counts in OKS, in the measured motion and in smoothing.")
            .define(
                    POSITION_NOISE,
                    Type.DOUBLE,
                    DEFAULTS.positionNoise(),
                    POSITIVE,
                    Importance.LOW,
                    "Standard deviation of a measured position, in body heights (motion filter).")
            .define(
                    ACCELERATION_NOISE,
                    Type.DOUBLE,
                    DEFAULTS.accelerationNoise(),
                    POSITIVE,
                    Importance.LOW,
                    "Standard deviation of a person's acceleration, in body heights per second squared (motion filter).")
            .define(
                    INITIAL_SPEED,
                    Type.DOUBLE,
                    DEFAULTS.initialSpeed(),
                    POSITIVE,
                    Importance.LOW,
                    "Standard deviation of a new track's unknown speed, in body heights per second (motion filter).")
            .define(
                    MOTION_GATE,
                    Type.DOUBLE,
                    DEFAULTS.motionGate(),
                    POSITIVE,
                    Importance.LOW,
                    "Largest squared Mahalanobis distance (position and height) of a track and a detection.")
            .define(
                    MAX_POSITION_UNCERTAINTY,
                    Type.DOUBLE,
                    DEFAULTS.maxPositionUncertainty(),
                    POSITIVE,
                    Importance.LOW,
                    "Largest standard deviation of a predicted position, in body heights: bounds how far from its "
                            + "prediction a long-lost track looks for its person.")
            .define(
                    MAX_PREDICTION_MS,
                    Type.LONG,
                    DEFAULTS.maxPredictionMs(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "Longest time the motion model extrapolates a track's position, or tracker.min.lost.frames and a "
                            + "half of the camera's mean posed interval when that is longer, up to twice this.")
            .define(
                    SMOOTHING_MIN_CUTOFF_HZ,
                    Type.DOUBLE,
                    DEFAULTS.smoothingMinCutoffHz(),
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "One-Euro cutoff of a still keypoint in Hz; 0 publishes keypoints as detected (no smoothing).")
            .define(
                    SMOOTHING_BETA,
                    Type.DOUBLE,
                    DEFAULTS.smoothingBeta(),
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "One-Euro speed coefficient (per body height per second): higher follows fast joints with less lag.")
            .define(
                    SMOOTHING_OUTLIER,
                    Type.DOUBLE,
                    DEFAULTS.smoothingOutlier(),
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "A keypoint jumping further than this (body heights) from its smoothed place is taken as a detection "
                            + "error once; 0 believes every jump.");

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
                    MAX_PERSONS,
                    Type.INT,
                    100,
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "Most persons of one pose frame that are tracked: beyond it the first ones (the inference worker "
                            + "writes the best first) are kept and the frame is logged, so one record cannot cost "
                            + "the assignment (quadratic and worse in persons) unbounded time and memory.")
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

    public TrackerAppConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, PREFIX, REPLACED);
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
            super(TRACKER_DEFINITION, originals, PREFIX, REPLACED);
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
                    c.getInt(TENTATIVE_MAX_MISSES),
                    c.getLong(TENTATIVE_MAX_LOST_MS),
                    c.getLong(MAX_LOST_MS),
                    c.getInt(MIN_LOST_FRAMES),
                    c.getDouble(SCORE_QUANTILE),
                    c.getDouble(HIGH_SCORE),
                    c.getDouble(LOW_SCORE),
                    c.getDouble(NEW_TRACK_SCORE),
                    c.getDouble(MIN_SIMILARITY),
                    c.getDouble(LOW_MIN_SIMILARITY),
                    c.getDouble(OKS_WEIGHT),
                    c.getDouble(KEYPOINT_THRESHOLD),
                    c.getDouble(POSITION_NOISE),
                    c.getDouble(ACCELERATION_NOISE),
                    c.getDouble(INITIAL_SPEED),
                    c.getDouble(MOTION_GATE),
                    c.getDouble(MAX_POSITION_UNCERTAINTY),
                    c.getLong(MAX_PREDICTION_MS),
                    c.getDouble(SMOOTHING_MIN_CUTOFF_HZ),
                    c.getDouble(SMOOTHING_BETA),
                    c.getDouble(SMOOTHING_OUTLIER),
                    c.getDouble(LOW_MAX_HEIGHT_RATIO),
                    c.getInt(REPORT_LOST_FRAMES),
                    c.getDouble(APPEARANCE_WEIGHT),
                    c.getLong(REID_WINDOW_MS),
                    c.getDouble(MIN_REFERENCE_SCORE));
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

    public int maxPersons() {
        return getInt(MAX_PERSONS);
    }

    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS);
    }

    /** Settings for the Avro serdes (registry URL and any other serde keys given). */
    public Map<String, Object> serdeConfig() {
        return StreamsStageConfig.serdeConfig(originals(), PREFIX);
    }

    /** Kafka Streams settings: everything but the tracker's own keys, with this application's defaults. */
    public Map<String, Object> streamsConfig() {
        Map<String, Object> streams =
                StreamsStageConfig.streamsConfig(this, PREFIX, dlqTopic(), DeadLetterHandler.STAGE);
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
