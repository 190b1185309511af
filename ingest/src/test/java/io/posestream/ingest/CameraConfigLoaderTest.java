package io.posestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraConfigLoader;
import io.posestream.ingest.config.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraConfigLoaderTest {

    @Test
    void readsYamlWithDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cameras.yaml");
        Files.writeString(file, """
                - id: lobby
                  url: rtsp://10.0.0.5/stream1
                  fps: 2.5
                  maxWidth: 1280
                  jpegQuality: 70
                  transport: udp
                  username: viewer
                  passwordEnv: LOBBY_PASSWORD
                - id: replay
                  url: /data/vtest.mp4
                  loop: true
                """);
        List<CameraConfig> cameras = CameraConfigLoader.load(file);
        assertThat(cameras).hasSize(2);
        CameraConfig lobby = cameras.get(0);
        assertThat(lobby.fps()).isEqualTo(2.5);
        assertThat(lobby.maxWidth()).isEqualTo(1280);
        assertThat(lobby.jpegQuality()).isEqualTo(70);
        assertThat(lobby.transport()).isEqualTo(Transport.UDP);
        assertThat(lobby.passwordEnv()).isEqualTo("LOBBY_PASSWORD");
        CameraConfig replay = cameras.get(1);
        assertThat(replay.loop()).isTrue();
        assertThat(replay.fps()).isEqualTo(CameraConfig.DEFAULT_FPS);
        assertThat(replay.jpegQuality()).isEqualTo(CameraConfig.DEFAULT_JPEG_QUALITY);
        assertThat(replay.transport()).isEqualTo(Transport.TCP);
        assertThat(replay.timeout()).isEqualTo(Duration.ofMillis(CameraConfig.DEFAULT_TIMEOUT_MS));
        assertThat(replay.realtime()).isTrue();
    }

    @Test
    void readsJsonListOrCamerasObject() {
        String json = """
                {"cameras": [{"id": "cam1", "url": "rtsp://127.0.0.1:8554/cam1", "fps": 10}]}""";
        assertThat(CameraConfigLoader.parse(json, "cameras.json"))
                .singleElement()
                .satisfies(c -> assertThat(c.fps()).isEqualTo(10.0));
        assertThat(CameraConfigLoader.parse("[{\"id\": \"a\", \"url\": \"x.mp4\"}]", "list.json"))
                .hasSize(1);
    }

    @Test
    void errorsNameTheFileTheCameraAndTheKey() {
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n  url: a.mp4\n  fsp: 5\n", "c.yaml"))
                .isInstanceOf(CameraConfigException.class)
                .hasMessageContaining("c.yaml")
                .hasMessageContaining("camera #1 ('cam1')")
                .hasMessageContaining("unknown key 'fsp'");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n  url: a.mp4\n  fps: 0\n", "c.yaml"))
                .hasMessageContaining("camera 'cam1': fps must be > 0");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n  url: a.mp4\n  jpegQuality: 101\n", "c.yaml"))
                .hasMessageContaining("camera 'cam1': jpegQuality must be 1..100, got 101");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n  url: a.mp4\n  transport: http\n", "c.yaml"))
                .hasMessageContaining("camera 'cam1': transport must be tcp or udp, got 'http'");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n  url: a.mp4\n  fps: fast\n", "c.yaml"))
                .hasMessageContaining("camera #1 ('cam1')")
                .hasMessageContaining("fps");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- url: a.mp4\n", "c.yaml"))
                .hasMessageContaining("camera id is missing");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: cam1\n", "c.yaml"))
                .hasMessageContaining("camera 'cam1': url is missing");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- {id: a, url: x}\n- {id: a, url: y}\n", "c.yaml"))
                .hasMessageContaining("camera id 'a' appears more than once");
        assertThatThrownBy(() -> CameraConfigLoader.parse("[]", "c.yaml"))
                .hasMessageContaining("non-empty list of cameras");
        assertThatThrownBy(() -> CameraConfigLoader.parse("- id: [unclosed\n", "c.yaml"))
                .hasMessageContaining("c.yaml is not valid YAML/JSON")
                .hasMessageContaining("line");
        assertThatThrownBy(() -> CameraConfigLoader.parse(
                        "- {id: a, url: 'rtsp://h/x', username: u, passwordEnv: 'hunter2!'}\n", "c.yaml"))
                .hasMessageContaining("passwordEnv must be the name of an environment variable")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> CameraConfigLoader.load(Path.of("/nonexistent/cameras.yaml")))
                .hasMessage("camera file /nonexistent/cameras.yaml does not exist");
    }
}
