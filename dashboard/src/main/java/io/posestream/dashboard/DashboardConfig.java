package io.posestream.dashboard;

import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesException;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.config.ServiceConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the dashboard, declared once with their defaults and docs and validated at start (a bad value fails
 * with the key's name). Keys not declared here (for example {@code security.protocol}, {@code sasl.jaas.config},
 * {@code basic.auth.user.info}) pass through to the Kafka consumer and the Avro deserializers.
 */
public final class DashboardConfig extends ServiceConfig {
    public static final String BOOTSTRAP_SERVERS = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String BIND_ADDRESS = "dashboard.bind.address";
    public static final String PORT = "dashboard.port";
    public static final String FRAMES_TOPIC = "dashboard.frames.topic";
    public static final String EVENTS_TOPIC = "dashboard.events.topic";
    public static final String JOIN_TIMEOUT_MS = "dashboard.join.timeout.ms";
    public static final String JOIN_BUFFER_FRAMES = "dashboard.join.buffer.frames";
    public static final String STALE_AFTER_MS = "dashboard.stale.after.ms";
    public static final String POSED_HOLD_MS = "dashboard.posed.hold.ms";
    public static final String FIGURES_WINDOW_MS = "dashboard.figures.window.ms";
    public static final String FIGURES_INTERVAL_MS = "dashboard.figures.interval.ms";
    public static final String TRACKS_WINDOW_MS = "dashboard.tracks.window.ms";
    public static final String KEYPOINT_SCORE_THRESHOLD = "dashboard.keypoint.score.threshold";
    public static final String MAX_CLIENTS = "dashboard.max.clients";
    public static final String MAX_CAMERAS = "dashboard.max.cameras";
    public static final String MAX_PERSONS = "dashboard.max.persons";
    public static final String AUTH_USER = "dashboard.auth.user";
    public static final String AUTH_PASSWORD = "dashboard.auth.password";
    public static final String AUTH_TOKEN = "dashboard.auth.token";
    public static final String AUTH_SESSION_MS = "dashboard.auth.session.ms";
    public static final String RULES_FILE = "dashboard.rules.file";
    public static final String ACTIVITY_TOPIC = "dashboard.activity.topic";
    public static final String COUNTS_TOPIC = "dashboard.counts.topic";
    public static final String ACTIVITY_LIST_SIZE = "dashboard.activity.list.size";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    BOOTSTRAP_SERVERS,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Kafka cluster to read frames and pose events from.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Schema registry (Confluent REST API) the records' schema ids are looked up in.")
            .define(
                    BIND_ADDRESS,
                    Type.STRING,
                    "127.0.0.1",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Address the web server binds to; 127.0.0.1 keeps the page on this machine, 0.0.0.0 opens it "
                            + "to the network.")
            .define(
                    PORT,
                    Type.INT,
                    8080,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "HTTP port of the web server; 0 picks a free port.")
            .define(
                    FRAMES_TOPIC,
                    Type.STRING,
                    Topics.FRAMES,
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Topic of Avro Frame records (camera images).")
            .define(
                    EVENTS_TOPIC,
                    Type.STRING,
                    Topics.POSE_EVENTS,
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Topic of Avro PoseEvent records (tracked persons per frame).")
            .define(
                    JOIN_TIMEOUT_MS,
                    Type.LONG,
                    5_000L,
                    Range.between(1, 600_000),
                    Importance.MEDIUM,
                    "How long a frame waits for its pose event (and an event for its frame) before it is counted "
                            + "as unmatched; an unmatched frame is still shown, without skeletons.")
            .define(
                    JOIN_BUFFER_FRAMES,
                    Type.INT,
                    100,
                    Range.between(1, 10_000),
                    Importance.MEDIUM,
                    "Most frames (and, separately, events) held per camera while waiting for their partner; the "
                            + "oldest is dropped and counted beyond that.")
            .define(
                    STALE_AFTER_MS,
                    Type.LONG,
                    5_000L,
                    Range.between(1, 3_600_000),
                    Importance.MEDIUM,
                    "A camera with no frame and no event for this long is marked stale on the page.")
            .define(
                    POSED_HOLD_MS,
                    Type.LONG,
                    2_000L,
                    Range.between(0, 600_000),
                    Importance.LOW,
                    "A frame the worker did not pose (skipped as stale, or without a pose event) replaces the "
                            + "camera's posed frame on the page only when it was captured at least this much later: "
                            + "a worker behind the cameras poses each about once a second and answers the frames "
                            + "between without persons, which would otherwise hide the skeletons most of the time. "
                            + "0 shows every frame.")
            .define(
                    FIGURES_WINDOW_MS,
                    Type.LONG,
                    5_000L,
                    Range.between(100, 600_000),
                    Importance.LOW,
                    "Sliding window over which fps and latency are computed.")
            .define(
                    TRACKS_WINDOW_MS,
                    Type.LONG,
                    60_000L,
                    Range.between(1_000, 3_600_000),
                    Importance.LOW,
                    "Window of capture time over which the tracking figures (confirmed share, median confirmed track "
                            + "life, births per minute) are computed.")
            .define(
                    FIGURES_INTERVAL_MS,
                    Type.LONG,
                    500L,
                    Range.between(50, 60_000),
                    Importance.LOW,
                    "How often figures, stale marks and join time-outs are recomputed and pushed.")
            .define(
                    KEYPOINT_SCORE_THRESHOLD,
                    Type.DOUBLE,
                    0.3,
                    Range.between(0.0, 1.0),
                    Importance.MEDIUM,
                    "Keypoints scoring below this are not drawn (nor the limbs touching them).")
            .define(
                    MAX_CLIENTS,
                    Type.INT,
                    32,
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "Most browsers connected to the live stream at once; more are answered 503.")
            .define(
                    MAX_CAMERAS,
                    Type.INT,
                    256,
                    Range.between(1, 100_000),
                    Importance.LOW,
                    "Most cameras shown: each holds frames while they wait for their events, so records of further "
                            + "camera ids are counted and skipped rather than let memory grow with every id.")
            .define(
                    MAX_PERSONS,
                    Type.INT,
                    100,
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "Pose events with more tracked persons are counted and skipped, not drawn.")
            .define(
                    AUTH_USER,
                    Type.STRING,
                    "viewer",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "User name of the login form (with " + AUTH_PASSWORD + ").")
            .define(
                    AUTH_PASSWORD,
                    Type.PASSWORD,
                    "",
                    Importance.HIGH,
                    "When set, the page asks for a login (" + AUTH_USER + " and this password) and every route, the "
                            + "event stream included, refuses a browser without the session it gives. Never logged.")
            .define(
                    AUTH_TOKEN,
                    Type.PASSWORD,
                    "",
                    Importance.HIGH,
                    "When set, requests with 'Authorization: Bearer <token>' are let in (scripts, monitors); with "
                            + "this alone every other request is refused. Never logged.")
            .define(
                    AUTH_SESSION_MS,
                    Type.LONG,
                    8 * 3_600_000L,
                    Range.between(60_000, 30L * 24 * 3_600_000),
                    Importance.LOW,
                    "How long a login lasts.")
            .define(
                    RULES_FILE,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Rules file of the analytics stage (the one given to analyze --rules): each camera's zones and "
                            + "lines are drawn on its tile, and the zone counts and activity events are read and "
                            + "shown beside it. Empty: no analytics on the page.")
            .define(
                    ACTIVITY_TOPIC,
                    Type.STRING,
                    Topics.ACTIVITY_EVENTS,
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Topic of Avro ActivityEvent records (read only with " + RULES_FILE + ").")
            .define(
                    COUNTS_TOPIC,
                    Type.STRING,
                    Topics.ZONE_COUNTS,
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Compacted topic of Avro ZoneCount records, read from its beginning: the current count of every "
                            + "zone (read only with " + RULES_FILE + ").")
            .define(
                    ACTIVITY_LIST_SIZE,
                    Type.INT,
                    12,
                    Range.between(1, 200),
                    Importance.LOW,
                    "Latest activity events listed beside each camera's tile.");

    private final AnalyticsRules rules;

    public DashboardConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, "dashboard.");
        if (getList(BOOTSTRAP_SERVERS).isEmpty()) {
            throw new ConfigException(BOOTSTRAP_SERVERS, "", "at least one Kafka broker address is required");
        }
        if (getList(SCHEMA_REGISTRY_URL).isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "", "at least one schema registry URL is required");
        }
        if (getString(FRAMES_TOPIC).equals(getString(EVENTS_TOPIC))) {
            throw new ConfigException(
                    EVENTS_TOPIC,
                    getString(EVENTS_TOPIC),
                    "must differ from " + FRAMES_TOPIC + ": frames and pose events are joined across two topics");
        }
        String rulesFile = getString(RULES_FILE).trim();
        try {
            // Checked at start as analyze checks it: a bad rule names the file, the rule and the field.
            this.rules = rulesFile.isEmpty() ? null : RulesFile.load(Path.of(rulesFile));
        } catch (RulesException e) {
            throw new ConfigException(RULES_FILE, rulesFile, e.getMessage());
        }
    }

    /** Declared settings, for documentation and CLI help. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** Settings handed to the Kafka consumer and the Avro deserializers: everything but the dashboard's own keys. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        originals().forEach((key, value) -> {
            if (!key.startsWith("dashboard.")) {
                settings.put(key, value);
            }
        });
        settings.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        settings.put(SCHEMA_REGISTRY_URL, String.join(",", getList(SCHEMA_REGISTRY_URL)));
        return settings;
    }

    public String bindAddress() {
        return getString(BIND_ADDRESS);
    }

    public int port() {
        return getInt(PORT);
    }

    public String framesTopic() {
        return getString(FRAMES_TOPIC);
    }

    public String eventsTopic() {
        return getString(EVENTS_TOPIC);
    }

    public Duration joinTimeout() {
        return Duration.ofMillis(getLong(JOIN_TIMEOUT_MS));
    }

    public int joinBufferFrames() {
        return getInt(JOIN_BUFFER_FRAMES);
    }

    public Duration staleAfter() {
        return Duration.ofMillis(getLong(STALE_AFTER_MS));
    }

    public Duration posedHold() {
        return Duration.ofMillis(getLong(POSED_HOLD_MS));
    }

    public Duration figuresWindow() {
        return Duration.ofMillis(getLong(FIGURES_WINDOW_MS));
    }

    public Duration tracksWindow() {
        return Duration.ofMillis(getLong(TRACKS_WINDOW_MS));
    }

    public Duration figuresInterval() {
        return Duration.ofMillis(getLong(FIGURES_INTERVAL_MS));
    }

    public double keypointScoreThreshold() {
        return getDouble(KEYPOINT_SCORE_THRESHOLD);
    }

    public int maxClients() {
        return getInt(MAX_CLIENTS);
    }

    public int maxCameras() {
        return getInt(MAX_CAMERAS);
    }

    public int maxPersons() {
        return getInt(MAX_PERSONS);
    }

    /** Whether the page and the event stream require a login or a bearer token. */
    public boolean authRequired() {
        return !authPassword().isEmpty() || !authToken().isEmpty();
    }

    public String authUser() {
        return getString(AUTH_USER);
    }

    /** The login password, empty when there is no login. */
    public String authPassword() {
        return getPassword(AUTH_PASSWORD).value();
    }

    /** The bearer token, empty when none is accepted. */
    public String authToken() {
        return getPassword(AUTH_TOKEN).value();
    }

    /** The analytics rules whose zones and lines the page draws; empty without {@value #RULES_FILE}. */
    public Optional<AnalyticsRules> rules() {
        return Optional.ofNullable(rules);
    }

    public String activityTopic() {
        return getString(ACTIVITY_TOPIC);
    }

    public String countsTopic() {
        return getString(COUNTS_TOPIC);
    }

    public int activityListSize() {
        return getInt(ACTIVITY_LIST_SIZE);
    }

    public Duration authSession() {
        return Duration.ofMillis(getLong(AUTH_SESSION_MS));
    }
}
