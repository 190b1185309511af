package io.posestream.analytics.streams;

import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesException;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.config.ServiceConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.tracker.streams.StreamsStageConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the analytics application, declared once. The rules file is read and checked here, so a bad rule
 * stops the service at start; any key without the {@code analytics.} prefix goes to Kafka Streams and its
 * clients as it is.
 */
public final class AnalyticsAppConfig extends ServiceConfig {
    public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
    public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String COMMIT_INTERVAL_MS = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String NUM_STREAM_THREADS = StreamsConfig.NUM_STREAM_THREADS_CONFIG;

    /** Prefix of the analytics' own keys: an unknown key with it is a typo, not a Kafka Streams setting. */
    public static final String PREFIX = "analytics.";

    public static final String RULES_FILE = "analytics.rules.file";
    public static final String INPUT_TOPIC = "analytics.input.topic";
    public static final String OUTPUT_TOPIC = "analytics.output.topic";
    public static final String COUNTS_TOPIC = "analytics.counts.topic";
    public static final String DLQ_TOPIC = "analytics.dlq.topic";
    public static final String TOPIC_PARTITIONS = "analytics.topic.partitions";

    /** Stage name in the headers of the analytics' dead letters. */
    public static final String STAGE = "analytics";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka cluster.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Schema registry URL(s) (Confluent REST API).")
            .define(
                    RULES_FILE,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Rules file (YAML or JSON): zones, lines, fall and raised-hands rules per camera "
                            + "(docs/analytics.md).")
            .define(
                    APPLICATION_ID,
                    Type.STRING,
                    "posestream-analytics",
                    Importance.HIGH,
                    "Kafka Streams application id: instances with the same id share the cameras.")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    System.getProperty("java.io.tmpdir") + "/posestream-analytics",
                    Importance.MEDIUM,
                    "Directory of the local state stores (rebuilt from the changelog if lost).")
            .define(
                    PROCESSING_GUARANTEE,
                    Type.STRING,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM,
                    "exactly_once_v2 (default: a restart neither repeats nor loses events) or at_least_once.")
            .define(
                    COMMIT_INTERVAL_MS,
                    Type.LONG,
                    100L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "How often to commit (and, with exactly-once, make output visible).")
            .define(
                    NUM_STREAM_THREADS,
                    Type.INT,
                    2,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Stream threads of this instance; the cameras' partitions are shared among them. Two by default:"
                            + " one thread waits on its exactly-once commits and fetches for about half its time,"
                            + " and a second one works meanwhile (docs/analytics.md, Throughput).")
            .define(INPUT_TOPIC, Type.STRING, Topics.POSE_EVENTS, Importance.LOW, "PoseEvent input topic.")
            .define(OUTPUT_TOPIC, Type.STRING, Topics.ACTIVITY_EVENTS, Importance.LOW, "ActivityEvent output topic.")
            .define(
                    COUNTS_TOPIC,
                    Type.STRING,
                    Topics.ZONE_COUNTS,
                    Importance.LOW,
                    "Compacted ZoneCount topic (key cameraId/zone): the current count of every zone.")
            .define(
                    DLQ_TOPIC,
                    Type.STRING,
                    Topics.dlq(Topics.POSE_EVENTS),
                    Importance.LOW,
                    "Dead-letter topic for undecodable input records.")
            .define(
                    TOPIC_PARTITIONS,
                    Type.INT,
                    Topics.DEFAULT_PARTITIONS,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Partitions of the output topics when the analytics has to create them.");

    private final AnalyticsRules rules;

    public AnalyticsAppConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, PREFIX);
        try {
            rules = RulesFile.load(Path.of(getString(RULES_FILE)));
        } catch (RulesException e) {
            throw new ConfigException(RULES_FILE + ": " + e.getMessage());
        }
    }

    /** All declared settings, for documentation and CLI help. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** The rules, read and checked at construction. */
    public AnalyticsRules rules() {
        return rules;
    }

    public String inputTopic() {
        return getString(INPUT_TOPIC);
    }

    public String outputTopic() {
        return getString(OUTPUT_TOPIC);
    }

    public String countsTopic() {
        return getString(COUNTS_TOPIC);
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC);
    }

    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS);
    }

    /** Settings for the Avro serdes (registry URL and any other serde keys given). */
    public Map<String, Object> serdeConfig() {
        return StreamsStageConfig.serdeConfig(originals(), PREFIX);
    }

    /** Kafka Streams settings: everything but the analytics' own keys, with this application's defaults. */
    public Map<String, Object> streamsConfig() {
        Map<String, Object> streams = StreamsStageConfig.streamsConfig(this, PREFIX, dlqTopic(), STAGE);
        streams.put(NUM_STREAM_THREADS, getInt(NUM_STREAM_THREADS));
        return streams;
    }
}
