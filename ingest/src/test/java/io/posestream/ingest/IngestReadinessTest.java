package io.posestream.ingest;

import static io.posestream.ingest.RtspIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.ingest.config.CameraConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest's readiness: frames reaching the broker, or why not (what the /health/ready probe reports). */
class IngestReadinessTest {

    @Test
    void readyWhileFramesAreDeliveredAndNamesTheTopicWhenTheBrokerIsUnreachable() throws Exception {
        List<CameraConfig> cameras =
                List.of(CameraConfig.builder("cam", TestMedia.shortMp4().toString())
                        .fps(5)
                        .loop(true)
                        .build());
        try (FrameTopic topic = new FrameTopic(TestCluster.get(), "frames-ready");
                IngestService ingest = new IngestService(
                                cameras,
                                FrameTopic.clientConfig(TestCluster.get()),
                                topic.name,
                                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                Map.of())
                        .start()) {
            topic.until(frames -> frames.size() >= 3, Duration.ofSeconds(30));
            assertThat(ingest.deliveryProblem()).isNull();
        }

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> unreachable = Map.of(
                "bootstrap.servers",
                "127.0.0.1:" + closedPort,
                "schema.registry.url",
                "http://127.0.0.1:" + closedPort);
        try (IngestService ingest = new IngestService(
                        cameras,
                        unreachable,
                        "frames-nowhere",
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        Map.of())
                .start()) {
            await("a delivery problem", Duration.ofSeconds(20), () -> ingest.deliveryProblem() != null);
            assertThat(ingest.deliveryProblem()).contains("frames-nowhere");
        }
    }
}
