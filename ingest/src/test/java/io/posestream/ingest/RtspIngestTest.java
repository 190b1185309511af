package io.posestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.LogCapture;
import io.posestream.schemas.RegistryCluster;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest from the real sample RTSP camera (GStreamer) into a real broker through the registry serde. */
class RtspIngestTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = TestCluster.get();
    }

    private static CameraConfig.Builder camera(String id, String url) {
        return CameraConfig.builder(id, url)
                .fps(5)
                .timeoutMs(2000)
                .reconnectInitialMs(200)
                .reconnectMaxMs(1000);
    }

    private static IngestService ingest(
            FrameTopic topic, PrometheusMeterRegistry registry, Map<String, String> env, CameraConfig... cameras) {
        return new IngestService(List.of(cameras), FrameTopic.clientConfig(cluster), topic.name, registry, env).start();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static void assertSeqContinuous(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).getSeq())
                    .as("seq of frame %d of camera %s", i, frames.get(i).getCameraId())
                    .isEqualTo(i);
        }
    }

    @Test
    void framesArriveInOrderDecodableWithTheRightSizeAtTheTargetRate() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SampleRtspCamera server = SampleRtspCamera.local().start();
                FrameTopic topic = new FrameTopic(cluster, "frames-rtsp");
                IngestService ingest = ingest(
                        topic,
                        registry,
                        Map.of(),
                        camera("full", server.url()).build(),
                        camera("small", server.url())
                                .fps(2.5)
                                .maxWidth(384)
                                .jpegQuality(60)
                                .build());
                ServiceEndpoint metrics = ServiceEndpoint.start("ingest", registry, "127.0.0.1", 0)) {
            List<Frame> all = topic.until(
                    frames -> topic.of("full", frames).size() >= 16
                            && topic.of("small", frames).size() >= 8,
                    Duration.ofSeconds(30));
            List<Frame> full = topic.of("full", all);
            List<Frame> small = topic.of("small", all);
            assertThat(full).hasSizeGreaterThanOrEqualTo(16);
            assertThat(small).hasSizeGreaterThanOrEqualTo(8);
            assertSeqContinuous(full);
            assertSeqContinuous(small);

            for (Frame frame : full) {
                assertThat(frame.getWidth()).isEqualTo(768);
                assertThat(frame.getHeight()).isEqualTo(576);
                assertThat(frame.getEncoding()).isEqualTo(ImageEncoding.JPEG);
            }
            for (Frame frame : small) {
                assertThat(frame.getWidth()).isEqualTo(384);
                assertThat(frame.getHeight()).isEqualTo(288);
            }
            BufferedImage image = decode(full.get(full.size() - 1));
            assertThat(image.getWidth()).isEqualTo(768);
            assertThat(image.getHeight()).isEqualTo(576);
            assertThat(decode(small.get(0)).getWidth()).isEqualTo(384);

            // Order and rate by presentation timestamps: the server sends 10 fps, so 5 fps keeps every second frame
            // (200 ms apart) and 2.5 fps every fourth (400 ms).
            assertStrictlyIncreasing(full);
            assertThat(meanPtsStepMillis(full)).isBetween(190.0, 210.0);
            assertThat(meanPtsStepMillis(small)).isBetween(380.0, 420.0);
            for (int i = 1; i < full.size(); i++) {
                assertThat(full.get(i).getCaptureTime())
                        .isAfterOrEqualTo(full.get(i - 1).getCaptureTime());
            }

            CameraMetrics fullMetrics = ingest.metrics("full");
            assertThat(fullMetrics.framesPublished()).isGreaterThanOrEqualTo(16);
            assertThat(fullMetrics.framesSampledOut()).isGreaterThan(0);
            assertThat(fullMetrics.framesDropped()).isZero();
            assertThat(fullMetrics.state()).isEqualTo(CameraState.STREAMING);

            String scrape = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(scrape)
                    .contains("posestream_ingest_frames_published_total{camera=\"full\"}")
                    .contains("posestream_ingest_camera_state{camera=\"small\",state=\"streaming\"} 1.0")
                    .contains("posestream_ingest_frames_dropped_total{camera=\"full\",reason=\"send_failed\"} 0.0")
                    .contains("posestream_ingest_decode_time_seconds_count{camera=\"full\"}")
                    .contains("posestream_ingest_published_bytes_total{camera=\"full\"}");
        }
    }

    @Test
    void serverKilledAndRestartedIsReconnectedAndSeqContinues() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SampleRtspCamera server = SampleRtspCamera.local().start();
                FrameTopic topic = new FrameTopic(cluster, "frames-restart");
                IngestService ingest = ingest(
                        topic, registry, Map.of(), camera("cam", server.url()).build())) {
            int before = topic.atLeast(5, Duration.ofSeconds(30)).size();
            server.kill();
            CameraMetrics metrics = ingest.metrics("cam");
            await("the lost stream to be noticed", Duration.ofSeconds(15), () -> metrics.reconnects() >= 1);
            long publishedWhileDown = metrics.framesPublished();
            server.start();
            List<Frame> frames = topic.until(f -> f.size() >= publishedWhileDown + 5, Duration.ofSeconds(30));

            assertThat(frames.size()).isGreaterThanOrEqualTo(before + 5);
            assertSeqContinuous(frames);
            assertThat(metrics.reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(metrics.state()).isEqualTo(CameraState.STREAMING);
        }
    }

    @Test
    void frozenServerTimesOutAndIsReconnectedWhenResumed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LogCapture logs = new LogCapture();
                SampleRtspCamera server = SampleRtspCamera.local().start();
                FrameTopic topic = new FrameTopic(cluster, "frames-frozen");
                IngestService ingest = ingest(
                        topic,
                        registry,
                        Map.of(),
                        camera("frozen", server.url()).timeoutMs(1500).build())) {
            topic.atLeast(5, Duration.ofSeconds(30));
            CameraMetrics metrics = ingest.metrics("frozen");
            server.pause();
            // The grab must give up by itself (FFmpeg's timeout): nothing else would ever end it.
            await("the grab to time out", Duration.ofSeconds(10), () -> metrics.reconnects() >= 1);
            await("a reconnect attempt to time out too", Duration.ofSeconds(15), () -> metrics.connectFailures() >= 1);
            long published = metrics.framesPublished();
            server.resume();
            List<Frame> frames = topic.until(f -> f.size() >= published + 5, Duration.ofSeconds(30));

            assertSeqContinuous(frames);
            assertThat(logs.lines())
                    .anySatisfy(line -> assertThat(line)
                            .contains("Camera frozen: lost: no data for")
                            .contains("timeout 1500 ms"));
            assertThat(metrics.state()).isEqualTo(CameraState.STREAMING);
        }
    }

    private static BufferedImage decode(Frame frame) throws Exception {
        byte[] bytes = new byte[frame.getImage().remaining()];
        frame.getImage().duplicate().get(bytes);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image)
                .as("JPEG of %s frame %d", frame.getCameraId(), frame.getSeq())
                .isNotNull();
        return image;
    }

    private static void assertStrictlyIncreasing(List<Frame> frames) {
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).getPts()).isGreaterThan(frames.get(i - 1).getPts());
        }
    }

    private static double meanPtsStepMillis(List<Frame> frames) {
        return (frames.get(frames.size() - 1).getPts() - frames.get(0).getPts()) / 1000.0 / (frames.size() - 1);
    }
}
