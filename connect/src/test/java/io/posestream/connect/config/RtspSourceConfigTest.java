package io.posestream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** The connector's settings: each bad value reported on its own key, cameras built with ingest's own rules. */
class RtspSourceConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("cameras", "lobby,door");
        props.put("camera.lobby.url", "rtsp://10.0.0.5/stream");
        props.put("camera.lobby.username", "viewer");
        props.put("camera.lobby.password", "s3cret");
        props.put("camera.door.url", "rtsp://10.0.0.6/stream");
        props.put("schema.registry.url", "http://registry:8081");
        return props;
    }

    /** The errors of each key that has any. */
    private static Map<String, List<String>> errors(Map<String, String> props) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : RtspSourceConfig.validate(props)) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void aValidConfigHasNoErrorsAndBuildsEachCameraWithDefaultsAndOverrides() {
        Map<String, String> props = valid();
        props.put("fps", "2");
        props.put("camera.door.fps", "7.5");
        props.put("camera.door.max.width", "640");
        assertThat(errors(props)).isEmpty();

        RtspSourceConfig config = RtspSourceConfig.forConnector(props);
        assertThat(config.cameraIds()).containsExactly("lobby", "door");
        assertThat(config.camera("lobby").fps()).isEqualTo(2.0);
        assertThat(config.camera("lobby").jpegQuality()).isEqualTo(80);
        assertThat(config.camera("door").fps()).isEqualTo(7.5);
        assertThat(config.camera("door").maxWidth()).isEqualTo(640);
        assertThat(config.topic()).isEqualTo("posestream.frames");
        assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://registry:8081");
        // The password reaches the camera code only through the resolved-credentials map, never the camera's config.
        assertThat(config.camera("lobby").toString()).doesNotContain("s3cret");
        assertThat(config.passwords()).containsValue("s3cret");
    }

    @Test
    void eachBadCameraFieldIsReportedOnItsOwnKey() {
        Map<String, String> props = valid();
        props.put("camera.lobby.fps", "0");
        props.put("camera.door.url", "foo://10.0.0.6/stream");
        props.put("jpeg.quality", "101");
        props.put("camera.door.transport", "sctp");
        Map<String, List<String>> errors = errors(props);

        assertThat(errors).containsOnlyKeys("camera.lobby.fps", "jpeg.quality", "camera.door.transport");
        assertThat(errors.get("camera.lobby.fps")).singleElement().asString().contains("fps must be > 0 and <= 240");
        assertThat(errors.get("jpeg.quality")).singleElement().asString().contains("jpegQuality must be 1..100");
        assertThat(errors.get("camera.door.transport"))
                .singleElement()
                .asString()
                .contains("transport must be tcp or udp, got 'sctp'");

        // With the fields fixed, the whole-camera check names the URL.
        props.remove("jpeg.quality");
        props.remove("camera.lobby.fps");
        props.remove("camera.door.transport");
        assertThat(errors(props))
                .containsOnlyKeys("camera.door.url")
                .extractingByKey("camera.door.url")
                .asList()
                .singleElement()
                .asString()
                .contains("unsupported URL scheme 'foo'");
    }

    @Test
    void crossFieldErrorsNameTheKeyAtFault() {
        Map<String, String> props = valid();
        props.put("camera.door.password", "p");
        props.put("camera.lobby.url", "rtsp://viewer:inurl@10.0.0.5/stream");
        props.put("reconnect.initial.ms", "5000");
        props.put("camera.door.reconnect.max.ms", "1000");
        Map<String, List<String>> errors = errors(props);
        assertThat(errors).containsOnlyKeys("camera.lobby.username", "camera.door.reconnect.max.ms");
        assertThat(errors.get("camera.lobby.username").get(0)).contains("credentials are given both in the URL");
        assertThat(errors.get("camera.door.reconnect.max.ms").get(0))
                .contains("reconnectMaxMs >= reconnectInitialMs, got 5000 and 1000");
        assertThat(errors.toString()).doesNotContain("inurl");

        props.remove("camera.door.reconnect.max.ms");
        props.put("camera.lobby.url", "rtsp://10.0.0.5/stream");
        assertThat(errors(props))
                .containsOnlyKeys("camera.door.username")
                .satisfies(e -> assertThat(e.get("camera.door.username").get(0)).contains("needs username"));

        // A camera default at fault is reported once on its own key, however many cameras it breaks.
        props.put("camera.door.username", "viewer");
        props.put("reconnect.max.ms", "1000");
        assertThat(errors(props))
                .containsOnlyKeys("reconnect.max.ms")
                .satisfies(e -> assertThat(e.get("reconnect.max.ms"))
                        .singleElement()
                        .asString()
                        .contains("got 5000 and 1000"));
    }

    @Test
    void cameraListsAndMissingUrlsAreRefused() {
        Map<String, String> props = valid();
        props.put("cameras", "lobby,lobby");
        assertThat(errors(props).get("cameras").get(0)).contains("camera id 'lobby' appears more than once");
        props.put("cameras", "lobby,bad/id");
        assertThat(errors(props).get("cameras").get(0)).contains("camera id 'bad/id' is invalid");
        props.put("cameras", "lobby,door,hall");
        assertThat(errors(props).get("camera.hall.url").get(0)).contains("Missing required configuration");

        assertThatThrownBy(() -> RtspSourceConfig.forConnector(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("camera.hall.url");
    }

    @Test
    void theConnectorStartRefusesWhatValidationRefusesNamingTheKeyAndHidingPasswords() {
        Map<String, String> props = valid();
        props.put("camera.lobby.username", "");
        props.remove("camera.lobby.username");
        props.put("camera.door.password", "d00r-secret");
        assertThatThrownBy(() -> RtspSourceConfig.forConnector(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("camera.lobby.username")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("d00r-secret");
    }

    @Test
    void theRecordsNeedTheStringKeyAndByteArrayValueConverters() {
        Map<String, String> props = valid();
        assertThat(RtspSourceConfig.converterProblems(props)).containsOnlyKeys("key.converter", "value.converter");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        assertThat(RtspSourceConfig.converterProblems(props))
                .containsOnlyKeys("value.converter")
                .extractingByKey("value.converter")
                .asString()
                .contains("ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        assertThat(RtspSourceConfig.converterProblems(props)).isEmpty();
    }

    @Test
    void aTaskGetsOnlyItsCamerasKeysUnchangedSoPasswordPlaceholdersStayPlaceholders() {
        Map<String, String> props = valid();
        props.put("camera.lobby.password", "${file:/secrets/cameras.properties:lobby}");
        Map<String, String> task = RtspSourceConfig.taskProps(props, List.of("lobby"));
        assertThat(task)
                .containsEntry("task.cameras", "lobby")
                .containsEntry("camera.lobby.password", "${file:/secrets/cameras.properties:lobby}")
                .containsEntry("schema.registry.url", "http://registry:8081")
                .doesNotContainKey("camera.door.url");
        RtspSourceConfig config = RtspSourceConfig.forTask(task);
        assertThat(config.cameraIds()).containsExactly("lobby");
    }
}
