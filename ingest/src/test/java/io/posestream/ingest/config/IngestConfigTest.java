package io.posestream.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The ingest service's settings: camera defaults for --camera, the topic, and misspelt keys refused. */
class IngestConfigTest {
    private static IngestConfig config(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(
                Map.of(IngestConfig.BOOTSTRAP_SERVERS, "b:9092", IngestConfig.SCHEMA_REGISTRY_URL, "http://r:8081"));
        settings.putAll(extra);
        return new IngestConfig(settings);
    }

    @Test
    void aCommandLineCameraTakesTheServicesDefaults() {
        CameraConfig camera = config(Map.of()).camera("cam1", "rtsp://127.0.0.1:8554/cam1");

        assertThat(camera.fps()).isEqualTo(CameraConfig.DEFAULT_FPS);
        assertThat(camera.jpegQuality()).isEqualTo(CameraConfig.DEFAULT_JPEG_QUALITY);
        assertThat(camera.transport()).isEqualTo(Transport.TCP);
        assertThat(camera.loop()).isFalse();
        assertThat(config(Map.of()).topic()).isEqualTo(Topics.FRAMES);
    }

    @Test
    void settingsChangeTheCameraDefaults() {
        CameraConfig camera = config(Map.of(
                        IngestConfig.CAMERA_FPS, "2.5",
                        IngestConfig.CAMERA_JPEG_QUALITY, "60",
                        IngestConfig.CAMERA_TRANSPORT, "udp",
                        IngestConfig.CAMERA_LOOP, "true"))
                .camera("cam1", "rtsp://127.0.0.1:8554/cam1");

        assertThat(camera.fps()).isEqualTo(2.5);
        assertThat(camera.jpegQuality()).isEqualTo(60);
        assertThat(camera.transport()).isEqualTo(Transport.UDP);
        assertThat(camera.loop()).isTrue();
    }

    @Test
    void aBadCameraValueIsNamedWhereEveryCamerasIs() {
        assertThatThrownBy(() -> config(Map.of(IngestConfig.CAMERA_JPEG_QUALITY, "101"))
                        .camera("cam1", "rtsp://127.0.0.1:8554/cam1"))
                .isInstanceOf(CameraConfigException.class)
                .hasMessageContaining("cam1")
                .hasMessageContaining("jpegQuality");
    }

    @Test
    void aMisspeltIngestKeyIsRefused() {
        assertThatThrownBy(() -> config(Map.of("ingest.camera.fsp", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.camera.fsp")
                .hasMessageContaining("unknown ingest setting");
    }
}
