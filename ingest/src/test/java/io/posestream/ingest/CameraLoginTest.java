package io.posestream.ingest;

import static io.posestream.ingest.RtspIngestTest.assertSeqContinuous;
import static io.posestream.ingest.RtspIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.schemas.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A camera with a login (the sample camera asking for HTTP basic auth): the right password streams; a wrong or
 * missing one fails that camera alone, at once and for good, with the password masked everywhere.
 */
class CameraLoginTest {
    private static final String PASSWORD = "R1ght-pass";
    private static final String WRONG = "Wr0ng-pass";

    @Test
    void refusedCredentialsFailThatCameraOnlyWithoutRetryingAndNeverShowThePassword() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LogCapture logs = new LogCapture().all("io.posestream").all("org.bytedeco");
                SampleRtspCamera server =
                        SampleRtspCamera.local().credentials("viewer", PASSWORD).start();
                FrameTopic topic = new FrameTopic(TestCluster.get(), "frames-login")) {
            List<CameraConfig> cameras = List.of(
                    login("right", server.url(), "RIGHT_PASSWORD"),
                    login("wrong", server.url(), "WRONG_PASSWORD"),
                    CameraConfig.builder("anonymous", server.url())
                            .timeoutMs(2000)
                            .reconnectInitialMs(100)
                            .build());
            try (IngestService ingest = new IngestService(
                            cameras,
                            FrameTopic.clientConfig(TestCluster.get()),
                            topic.name,
                            registry,
                            Map.of("RIGHT_PASSWORD", PASSWORD, "WRONG_PASSWORD", WRONG))
                    .start()) {
                List<Frame> frames = topic.atLeast(5, Duration.ofSeconds(30));
                assertThat(frames).allMatch(f -> f.getCameraId().equals("right"));
                assertSeqContinuous(frames);
                await(
                        "both refused cameras to fail",
                        Duration.ofSeconds(15),
                        () -> ingest.metrics("wrong").state() == CameraState.FAILED
                                && ingest.metrics("anonymous").state() == CameraState.FAILED);
                Thread.sleep(500); // a retry (100 ms backoff) would show within this time
                assertThat(ingest.metrics("wrong").connectFailures()).isZero();
                assertThat(ingest.metrics("right").state()).isEqualTo(CameraState.STREAMING);
            }
            List<String> lines = logs.lines();
            String port = Integer.toString(server.port());
            assertThat(lines)
                    .anySatisfy(line -> assertThat(line)
                            .contains("Camera wrong: failed, not retrying: credentials refused by rtsp://viewer:***@"
                                    + "127.0.0.1:" + port + "/cam1: check username and password")
                            .contains("401 Unauthorized"));
            assertThat(lines)
                    .anySatisfy(line -> assertThat(line)
                            .contains("Camera anonymous: failed, not retrying: credentials refused by rtsp://127.0.0.1:"
                                    + port + "/cam1"));
            for (String line : lines) {
                assertThat(line).doesNotContain(PASSWORD).doesNotContain(WRONG);
            }
            assertThat(registry.scrape()).doesNotContain(PASSWORD).doesNotContain(WRONG);
        }
    }

    private static CameraConfig login(String id, String url, String passwordEnv) {
        return CameraConfig.builder(id, url)
                .username("viewer")
                .passwordEnv(passwordEnv)
                .timeoutMs(2000)
                .reconnectInitialMs(100)
                .build();
    }
}
