package io.posestream.ingest;

import static io.posestream.ingest.RtspIngestTest.assertSeqContinuous;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.schemas.RegistryCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A damaged file is decoded as far as FFmpeg can: errors counted, no crash, the rest still ingested. */
class CorruptFileTest {

    private static CameraMetrics ingestFile(RegistryCluster cluster, String id, String file, List<Frame> out)
            throws InterruptedException {
        // fps above the file's 10 fps keeps every frame; realtime=false reads as fast as it decodes.
        CameraConfig camera =
                CameraConfig.builder(id, file).fps(100).realtime(false).build();
        try (FrameTopic topic = new FrameTopic(cluster, "frames-" + id);
                IngestService ingest = new IngestService(
                                List.of(camera),
                                FrameTopic.clientConfig(cluster),
                                topic.name,
                                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                Map.of())
                        .start()) {
            assertThat(ingest.awaitCameras(60_000))
                    .as("file camera %s finished", id)
                    .isTrue();
            CameraMetrics metrics = ingest.metrics(id);
            // Generous: on a loaded machine the consumer can take a while to catch up with what the broker
            // acknowledged.
            out.addAll(topic.until(f -> f.size() >= metrics.framesPublished(), Duration.ofSeconds(90)));
            return metrics;
        }
    }

    @Test
    void truncatedAndCorruptFileCountsDecodeErrorsAndIngestsTheRest() throws Exception {
        RegistryCluster cluster = TestCluster.get();
        List<Frame> clean = new java.util.ArrayList<>();
        CameraMetrics cleanMetrics =
                ingestFile(cluster, "clean", TestMedia.h264Clip().toString(), clean);
        List<Frame> corrupt = new java.util.ArrayList<>();
        CameraMetrics corruptMetrics =
                ingestFile(cluster, "corrupt", TestMedia.corruptClip().toString(), corrupt);

        assertThat(cleanMetrics.state()).isEqualTo(CameraState.FINISHED);
        assertThat(cleanMetrics.decodeErrors()).isZero();
        assertThat(clean).hasSize(200);

        assertThat(corruptMetrics.state()).isEqualTo(CameraState.FINISHED);
        assertThat(corruptMetrics.decodeErrors()).isGreaterThan(0);
        // A tenth is cut off and three stretches are garbage; FFmpeg recovers at the next key frames.
        assertThat(corrupt.size()).isBetween(100, 195);
        assertThat(corrupt).hasSize((int) corruptMetrics.framesPublished());
        assertSeqContinuous(corrupt);
        assertThat(corrupt)
                .allMatch(f -> f.getWidth() == 768
                        && f.getHeight() == 576
                        && f.getImage().remaining() > 0);
    }
}
