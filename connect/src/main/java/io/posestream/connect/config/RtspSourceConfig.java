package io.posestream.connect.config;

import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraUrls;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * The RTSP source connector's settings, declared once: the frame topic, the schema registry (the Avro serde's own
 * keys), camera defaults ({@link CameraField}) and per camera {@code camera.<id>.url}, {@code .username},
 * {@code .password} and any camera field as an override. The cameras are listed in {@code cameras}; a task gets its
 * share in {@code task.cameras}. Passwords are meant to come from a Connect config provider
 * ({@code ${file:...}}, {@code ${env:...}}): the worker resolves them, and the config Connect stores and shows keeps
 * the placeholder.
 */
public final class RtspSourceConfig extends AbstractConfig {
    public static final String TOPIC = "topic";
    public static final String CAMERAS = "cameras";
    public static final String QUEUE_MAX_FRAMES = "queue.max.frames";
    /** Set by the connector in each task's config: the cameras of that task. */
    public static final String TASK_CAMERAS = "task.cameras";

    public static final String CAMERA_PREFIX = "camera.";
    public static final String URL = "url";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";

    /** The converters the connector's records need: a String key, and values already in Avro wire format. */
    public static final String KEY_CONVERTER = "key.converter";

    public static final String VALUE_CONVERTER = "value.converter";
    public static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private static final String FRAMES_GROUP = "Frames";
    private static final String REGISTRY_GROUP = "Schema registry";
    private static final String DEFAULTS_GROUP = "Camera defaults";

    private static final ConfigDef DEFINITION = definition();

    private final List<String> cameraIds;

    private RtspSourceConfig(ConfigDef definition, Map<String, String> props, List<String> cameraIds) {
        super(definition, props, false);
        this.cameraIds = cameraIds;
    }

    /** The connector's settings; a missing or bad setting throws a {@link ConfigException} naming its key. */
    public static RtspSourceConfig forConnector(Map<String, String> props) {
        List<String> ids = new AbstractConfig(DEFINITION, props, false).getList(CAMERAS);
        return checked(props, ids);
    }

    /** A task's settings: the connector's, for the cameras in {@code task.cameras}. */
    public static RtspSourceConfig forTask(Map<String, String> props) {
        String taskCameras = props.get(TASK_CAMERAS);
        if (taskCameras == null || taskCameras.isBlank()) {
            throw new ConfigException(TASK_CAMERAS, taskCameras, "a task needs its cameras (set by the connector)");
        }
        return checked(props, List.of(taskCameras.split(",")));
    }

    private static RtspSourceConfig checked(Map<String, String> props, List<String> ids) {
        RtspSourceConfig config = new RtspSourceConfig(definition(ids), props, ids);
        for (String id : ids) {
            try {
                CameraUrls.resolve(config.camera(id), config.passwords());
            } catch (CameraConfigException e) {
                String key = config.keyOf(id, e.key());
                throw new ConfigException(key, config.shown(key), CameraField.withoutCamera(e.getMessage()));
            }
        }
        return config;
    }

    /** The static definition: everything but the per-camera keys (which depend on {@code cameras}). */
    public static ConfigDef staticDefinition() {
        return new ConfigDef(DEFINITION);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                CAMERAS,
                Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE,
                new CameraIdsValidator(),
                Importance.HIGH,
                "Ids of the cameras, comma-separated: each camera <id> needs camera.<id>.url. The id is the record "
                        + "key on the topic and the camera tag of metrics (1-64 of A-Za-z0-9._-).",
                FRAMES_GROUP,
                ++order,
                Width.LONG,
                "Cameras");
        def.define(
                TOPIC,
                Type.STRING,
                Topics.FRAMES,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Topic the Avro Frame records go to, keyed by camera id (subject <topic>-value in the registry).",
                FRAMES_GROUP,
                ++order,
                Width.MEDIUM,
                "Frame topic");
        def.define(
                QUEUE_MAX_FRAMES,
                Type.INT,
                50,
                ConfigDef.Range.between(1, 10_000),
                Importance.LOW,
                "Frames a task holds for the worker between two polls; when full (the worker cannot deliver: broker "
                        + "down, transaction stuck) new frames are dropped and counted as producer_full, so cameras "
                        + "never stall.",
                FRAMES_GROUP,
                ++order,
                Width.SHORT,
                "Hand-over queue");
        order = 0;
        for (ConfigDef.ConfigKey key : AvroSerdeConfig.definition().configKeys().values()) {
            if (key.name.equals(AvroSerdeConfig.SPECIFIC_AVRO_READER)) {
                continue; // a reader setting: this connector only writes
            }
            def.define(
                    key.name,
                    key.type,
                    key.defaultValue,
                    key.validator,
                    key.importance,
                    key.documentation,
                    REGISTRY_GROUP,
                    ++order,
                    Width.LONG,
                    key.name);
        }
        order = 0;
        for (CameraField field : CameraField.values()) {
            def.define(
                    field.key(),
                    field.type(),
                    field.defaultValue(),
                    field.validator(),
                    Importance.MEDIUM,
                    field.doc() + " Default for every camera; camera.<id>." + field.key() + " overrides it.",
                    DEFAULTS_GROUP,
                    ++order,
                    Width.SHORT,
                    field.key());
        }
        return def;
    }

    /** The static definition plus {@code camera.<id>.*} for the given cameras. */
    static ConfigDef definition(List<String> ids) {
        ConfigDef def = new ConfigDef(DEFINITION);
        for (String id : ids) {
            String prefix = CAMERA_PREFIX + id + ".";
            String group = "Camera " + id;
            int order = 0;
            def.define(
                    prefix + URL,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "rtsp://, rtsps://, file: URL or a file path of camera " + id + ".",
                    group,
                    ++order,
                    Width.LONG,
                    "URL");
            def.define(
                    prefix + USERNAME,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "User name for the camera's RTSP login.",
                    group,
                    ++order,
                    Width.SHORT,
                    "User");
            def.define(
                    prefix + PASSWORD,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "Password for the camera's RTSP login: give a config provider placeholder such as "
                            + "${file:/opt/secrets/cameras.properties:" + id + "} or ${env:CAMERA_PASSWORD}, never the "
                            + "password itself (Connect stores and shows connector configs as given).",
                    group,
                    ++order,
                    Width.SHORT,
                    "Password");
            for (CameraField field : CameraField.values()) {
                def.define(
                        prefix + field.key(),
                        field.type(),
                        null,
                        field.validator(),
                        Importance.LOW,
                        field.doc() + " Overrides " + field.key() + " for camera " + id + ".",
                        group,
                        ++order,
                        Width.SHORT,
                        field.key());
            }
        }
        return def;
    }

    /**
     * Every setting checked as {@code PUT /connector-plugins/.../config/validate} reports it: each key's own rule,
     * then each camera as a whole (credentials given twice, reconnect delays out of order, a malformed URL), the
     * error on the key at fault.
     */
    public static List<ConfigValue> validate(Map<String, String> props) {
        Map<String, ConfigValue> values = DEFINITION.validateAll(props);
        ConfigValue cameras = values.get(CAMERAS);
        List<String> ids = new ArrayList<>();
        if (cameras.errorMessages().isEmpty() && cameras.value() instanceof List<?> list) {
            list.forEach(id -> ids.add(String.valueOf(id)));
        }
        values.putAll(definition(ids).validateAll(props));
        boolean defaultsValid = java.util.Arrays.stream(CameraField.values())
                .allMatch(field -> values.get(field.key()).errorMessages().isEmpty());
        if (defaultsValid) {
            for (String id : ids) {
                String prefix = CAMERA_PREFIX + id + ".";
                boolean cameraValid = values.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(prefix))
                        .allMatch(e -> e.getValue().errorMessages().isEmpty());
                if (cameraValid) {
                    checkWhole(props, id, values);
                }
            }
        }
        return new ArrayList<>(values.values());
    }

    private static void checkWhole(Map<String, String> props, String id, Map<String, ConfigValue> values) {
        RtspSourceConfig config = new RtspSourceConfig(definition(List.of(id)), props, List.of(id));
        try {
            CameraUrls.resolve(config.camera(id), config.passwords());
        } catch (CameraConfigException e) {
            String key = config.keyOf(id, e.key());
            ConfigValue value = values.get(key);
            String message = key + ": " + CameraField.withoutCamera(e.getMessage());
            if (!value.errorMessages().contains(message)) {
                value.addErrorMessage(message);
            }
        }
    }

    /** Errors of the converter settings the connector's records need, by key (empty when both are right). */
    public static Map<String, String> converterProblems(Map<String, String> props) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (!STRING_CONVERTER.equals(props.get(KEY_CONVERTER))) {
            problems.put(
                    KEY_CONVERTER,
                    "the record key is the camera id as a string: set " + KEY_CONVERTER + "=" + STRING_CONVERTER
                            + " in the connector's config (as the ingest process writes it)");
        }
        if (!BYTE_ARRAY_CONVERTER.equals(props.get(VALUE_CONVERTER))) {
            problems.put(
                    VALUE_CONVERTER,
                    "the task emits each Frame already serialized in Confluent's Avro wire format (subject <topic>"
                            + "-value, the ingest process's schema id): set " + VALUE_CONVERTER + "="
                            + BYTE_ARRAY_CONVERTER + " in the connector's config");
        }
        return problems;
    }

    /** The connector key at fault for a {@link CameraConfigException#key()} of camera {@code id}. */
    private String keyOf(String id, String fileKey) {
        String prefix = CAMERA_PREFIX + id + ".";
        if (fileKey == null || fileKey.equals("url") || fileKey.equals("id")) {
            return prefix + URL;
        }
        if (fileKey.equals("username")) {
            return prefix + USERNAME;
        }
        if (fileKey.equals("passwordEnv")) {
            return prefix + PASSWORD;
        }
        CameraField field = CameraField.ofFileKey(fileKey);
        if (field == null) {
            return prefix + URL;
        }
        return originals().containsKey(prefix + field.key()) ? prefix + field.key() : field.key();
    }

    /** A value for an error message: passwords never. */
    private Object shown(String key) {
        Object value = originals().get(key);
        return key.endsWith("." + PASSWORD) ? "[hidden]" : value;
    }

    /** The cameras of this config, in order: {@code cameras} for the connector, {@code task.cameras} for a task. */
    public List<String> cameraIds() {
        return cameraIds;
    }

    public String topic() {
        return getString(TOPIC);
    }

    public int queueMaxFrames() {
        return getInt(QUEUE_MAX_FRAMES);
    }

    /** Settings for the Avro serializer: the registry's keys as given. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new LinkedHashMap<>();
        for (String key : AvroSerdeConfig.definition().names()) {
            if (originals().containsKey(key)) {
                serde.put(key, originals().get(key));
            }
        }
        return serde;
    }

    /** Camera {@code id} with its overrides over the connector's defaults, validated by {@link CameraConfig}. */
    public CameraConfig camera(String id) {
        String prefix = CAMERA_PREFIX + id + ".";
        CameraConfig.Builder builder = CameraConfig.builder(id, getString(prefix + URL));
        for (CameraField field : CameraField.values()) {
            Object override = get(prefix + field.key());
            field.apply(builder, override != null ? override : get(field.key()));
        }
        String username = getString(prefix + USERNAME);
        if (username != null) {
            builder.username(username);
        }
        if (getPassword(prefix + PASSWORD) != null) {
            builder.passwordEnv(passwordName(id));
        }
        return builder.build();
    }

    /** All cameras of this config. */
    public List<CameraConfig> cameras() {
        return cameraIds.stream().map(this::camera).toList();
    }

    /**
     * The cameras' passwords, by the names their {@link CameraConfig#passwordEnv()} holds: the camera code resolves
     * credentials from such a map (the process environment for {@code ingest}), so both share one way of building
     * the URL handed to FFmpeg and of masking it.
     */
    public Map<String, String> passwords() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String id : cameraIds) {
            Password password = getPassword(CAMERA_PREFIX + id + "." + PASSWORD);
            if (password != null) {
                passwords.put(passwordName(id), password.value());
            }
        }
        return passwords;
    }

    private String passwordName(String id) {
        return "CAMERA_PASSWORD_" + cameraIds.indexOf(id);
    }

    /** The props of one task: everything but other cameras' keys, plus {@code task.cameras}. */
    public static Map<String, String> taskProps(Map<String, String> props, List<String> taskCameras) {
        Set<String> prefixes = new HashSet<>();
        taskCameras.forEach(id -> prefixes.add(CAMERA_PREFIX + id + "."));
        Map<String, String> task = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (!key.startsWith(CAMERA_PREFIX) || prefixes.stream().anyMatch(key::startsWith)) {
                task.put(key, value);
            }
        });
        task.put(TASK_CAMERAS, String.join(",", taskCameras));
        return task;
    }

    /** Each id valid for {@link CameraConfig} and listed once; at least one. */
    private static final class CameraIdsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> ids = (List<?>) value;
            if (ids == null || ids.isEmpty()) {
                throw new ConfigException(name, value, "list at least one camera id");
            }
            Set<String> seen = new HashSet<>();
            for (Object id : ids) {
                try {
                    CameraConfig.builder(String.valueOf(id), "rtsp://probe/stream")
                            .build();
                } catch (CameraConfigException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (!seen.add(String.valueOf(id))) {
                    throw new ConfigException(name, value, "camera id '" + id + "' appears more than once");
                }
            }
        }

        @Override
        public String toString() {
            return "non-empty list of distinct ids of 1-64 of A-Za-z0-9._-";
        }
    }
}
