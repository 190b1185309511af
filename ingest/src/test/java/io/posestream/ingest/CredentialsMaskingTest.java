package io.posestream.ingest;

import static io.posestream.ingest.RtspIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.schemas.LogCapture;
import io.posestream.schemas.RegistryCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Passwords, in the URL or from the environment, never appear in any log line, at any level, nor in metrics. */
class CredentialsMaskingTest {
    private static final String URL_PASSWORD = "Url5ecret";
    private static final String ENV_PASSWORD = "Env5ecret/+";

    @Test
    void passwordsNeverAppearInLogsOrMetrics() throws Exception {
        RegistryCluster cluster = TestCluster.get();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LogCapture logs = new LogCapture().all("io.posestream").all("org.bytedeco");
                SampleRtspCamera server = SampleRtspCamera.local().start()) {
            String base = server.url().replace("rtsp://", "");
            List<CameraConfig> cameras = List.of(
                    // The sample server does not ask for credentials, so this one streams with them in its URL.
                    CameraConfig.builder("streaming", "rtsp://viewer:" + URL_PASSWORD + "@" + base)
                            .timeoutMs(2000)
                            .build(),
                    CameraConfig.builder("refused", "rtsp://127.0.0.1:" + closedPort + "/cam1")
                            .username("viewer")
                            .passwordEnv("CAMERA_PASSWORD")
                            .timeoutMs(1000)
                            .reconnectInitialMs(200)
                            .build(),
                    CameraConfig.builder("not-found", "rtsp://viewer:" + URL_PASSWORD + "@" + base + "-missing")
                            .timeoutMs(2000)
                            .reconnectInitialMs(200)
                            .build(),
                    CameraConfig.builder("bad-scheme", "foo://viewer:" + URL_PASSWORD + "@host/x")
                            .build());
            try (FrameTopic topic = new FrameTopic(cluster, "frames-secret");
                    IngestService ingest = new IngestService(
                                    cameras,
                                    FrameTopic.clientConfig(cluster),
                                    topic.name,
                                    registry,
                                    Map.of("CAMERA_PASSWORD", ENV_PASSWORD))
                            .start()) {
                topic.atLeast(5, Duration.ofSeconds(30));
                await(
                        "failed attempts on both failing cameras",
                        Duration.ofSeconds(20),
                        () -> ingest.metrics("refused").connectFailures() >= 2
                                && ingest.metrics("not-found").connectFailures() >= 2);
            }
            List<String> lines = logs.lines();
            assertThat(lines).hasSizeGreaterThan(10);
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("viewer:***@127.0.0.1"));
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("Camera not-found: cannot connect"));
            for (String line : lines) {
                assertThat(line).doesNotContain(URL_PASSWORD).doesNotContain("Env5ecret");
            }
            assertThat(registry.scrape()).doesNotContain(URL_PASSWORD).doesNotContain("Env5ecret");
        }
    }
}
