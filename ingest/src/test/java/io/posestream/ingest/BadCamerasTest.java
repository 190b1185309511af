package io.posestream.ingest;

import static io.posestream.ingest.RtspIngestTest.assertSeqContinuous;
import static io.posestream.ingest.RtspIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.schemas.LogCapture;
import io.posestream.schemas.RegistryCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Broken cameras fail on their own, with a clear error naming them, while a good camera beside them keeps going. */
class BadCamerasTest {

    @Test
    void eachBadCameraFailsAloneWithAClearErrorAndTheGoodOneKeepsGoing() throws Exception {
        RegistryCluster cluster = TestCluster.get();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<CameraConfig> cameras = List.of(
                CameraConfig.builder("good", TestMedia.shortMp4().toString())
                        .fps(5)
                        .loop(true)
                        .build(),
                CameraConfig.builder("unreachable", "rtsp://127.0.0.1:" + closedPort + "/cam1")
                        .timeoutMs(1000)
                        .reconnectInitialMs(300)
                        .reconnectMaxMs(2000)
                        .build(),
                CameraConfig.builder("bad-scheme", "foo://camera.example/stream")
                        .build(),
                CameraConfig.builder("malformed", "rtsp://[not-a-host/stream").build(),
                CameraConfig.builder("unsupported", TestMedia.unsupportedCodec().toString())
                        .build(),
                CameraConfig.builder("missing", "/nonexistent/posestream/video.mp4")
                        .build());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LogCapture logs = new LogCapture();
                FrameTopic topic = new FrameTopic(cluster, "frames-bad");
                IngestService ingest = new IngestService(
                                cameras, FrameTopic.clientConfig(cluster), topic.name, registry, Map.of())
                        .start()) {
            CameraMetrics unreachable = ingest.metrics("unreachable");
            await("three failed connection attempts", Duration.ofSeconds(20), () -> unreachable.connectFailures() >= 3);
            // The good camera published through all of it, in order, looping its 3 s file.
            List<Frame> good = topic.until(f -> f.size() >= 20, Duration.ofSeconds(30));
            assertThat(good)
                    .hasSizeGreaterThanOrEqualTo(20)
                    .allMatch(f -> f.getCameraId().equals("good"));
            assertSeqContinuous(good);
            assertThat(ingest.metrics("good").state()).isIn(CameraState.STREAMING, CameraState.CONNECTING);

            for (String failed : List.of("bad-scheme", "malformed", "unsupported", "missing")) {
                assertThat(ingest.metrics(failed).state()).as(failed).isEqualTo(CameraState.FAILED);
            }
            // Backoff between attempts: 300, 600, 1200, 2000 ms... A busy loop would have made hundreds by now.
            assertThat(unreachable.connectFailures()).isBetween(3L, 10L);
            assertThat(unreachable.state()).isIn(CameraState.BACKOFF, CameraState.CONNECTING);

            List<String> lines = logs.lines();
            assertLogged(lines, "Camera bad-scheme: failed, not retrying: unsupported URL scheme 'foo'");
            assertLogged(lines, "Camera malformed: failed, not retrying: malformed URL rtsp://[not-a-host/stream");
            assertLogged(
                    lines,
                    "Camera unsupported: failed, not retrying: unsupported codec: FFmpeg has no decoder for video "
                            + "stream #0 of " + TestMedia.unsupportedCodec() + " (codec none, FourCC 'XXXX')");
            assertLogged(
                    lines,
                    "Camera missing: failed, not retrying: file /nonexistent/posestream/video.mp4 does " + "not exist");
            assertLogged(lines, "Camera unreachable: cannot connect: ");
            assertLogged(lines, "Connection refused");
            assertLogged(lines, "Camera unreachable: retry in ");
        }
    }

    private static void assertLogged(List<String> lines, String text) {
        assertThat(lines)
                .as("log lines containing '%s'", text)
                .anySatisfy(line -> assertThat(line).contains(text));
    }
}
