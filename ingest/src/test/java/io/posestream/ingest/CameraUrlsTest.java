package io.posestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraUrls;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraUrlsTest {

    @Test
    void masksPasswordsAndKeepsUserNames() {
        assertThat(CameraUrls.mask("rtsp://admin:hunter2@10.0.0.5:554/Streaming/101"))
                .isEqualTo("rtsp://admin:***@10.0.0.5:554/Streaming/101");
        assertThat(CameraUrls.mask("Could not open input \"rtsp://a:b%40c@h/x\" and rtsp://u:p@h2/y"))
                .isEqualTo("Could not open input \"rtsp://a:***@h/x\" and rtsp://u:***@h2/y");
        assertThat(CameraUrls.mask("rtsp://token@host/x")).isEqualTo("rtsp://token@host/x");
        assertThat(CameraUrls.mask("/data/video.mp4")).isEqualTo("/data/video.mp4");
    }

    @Test
    void resolvesKinds() {
        assertThat(CameraUrls.resolve(
                                CameraConfig.builder("a", "rtsp://h:8554/cam1").build(), Map.of())
                        .kind())
                .isEqualTo(CameraUrls.Kind.RTSP);
        CameraUrls.Source file = CameraUrls.resolve(
                CameraConfig.builder("b", "file:///data/v.mp4").build(), Map.of());
        assertThat(file.kind()).isEqualTo(CameraUrls.Kind.FILE);
        assertThat(file.input()).isEqualTo("/data/v.mp4");
        assertThat(CameraUrls.resolve(CameraConfig.builder("c", "clips/v.mp4").build(), Map.of())
                        .input())
                .endsWith("/clips/v.mp4")
                .startsWith("/");
    }

    @Test
    void credentialsFromTheEnvironmentGoIntoTheInputOnly() {
        CameraConfig camera = CameraConfig.builder("lobby", "rtsp://10.0.0.5/stream1")
                .username("viewer")
                .passwordEnv("LOBBY_PASSWORD")
                .build();
        CameraUrls.Source source = CameraUrls.resolve(camera, Map.of("LOBBY_PASSWORD", "p@ss:w/rd"));
        assertThat(source.input()).isEqualTo("rtsp://viewer:p%40ss%3Aw%2Frd@10.0.0.5/stream1");
        assertThat(source.display()).isEqualTo("rtsp://viewer:***@10.0.0.5/stream1");
        assertThat(source.redact("failed: " + source.input() + " pw=p@ss:w/rd"))
                .doesNotContain("p@ss")
                .doesNotContain("p%40ss")
                .contains("viewer:***@10.0.0.5");
        assertThat(camera.toString()).doesNotContain("p@ss");
    }

    @Test
    void badUrlsAreNamedWithTheCameraAndMasked() {
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("x", "http://u:secret@h/x").build(), Map.of()))
                .isInstanceOf(CameraConfigException.class)
                .hasMessage("camera 'x': unsupported URL scheme 'http' in http://u:***@h/x: use rtsp://, rtsps://, "
                        + "file: or a file path");
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("y", "rtsp://u:secret@[::1/x").build(), Map.of()))
                .hasMessageStartingWith("camera 'y': malformed URL rtsp://u:***@[::1/x")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("z", "rtsp:///x").build(), Map.of()))
                .hasMessageContaining("camera 'z': malformed URL rtsp:///x: no host");
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("p", "rtsp://h:99999/x").build(), Map.of()))
                .hasMessageContaining("port 99999 is out of range");
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("e", "rtsp://h/x")
                                .username("u")
                                .passwordEnv("MISSING_VAR")
                                .build(),
                        Map.of()))
                .hasMessage("camera 'e': environment variable MISSING_VAR (passwordEnv) is not set");
        assertThatThrownBy(() -> CameraUrls.resolve(
                        CameraConfig.builder("d", "rtsp://a:b@h/x")
                                .username("u")
                                .build(),
                        Map.of()))
                .hasMessageContaining("credentials are given both in the URL rtsp://a:***@h/x");
    }
}
