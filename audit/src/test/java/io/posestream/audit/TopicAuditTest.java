package io.posestream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit on a real broker: the three topics as the pipeline writes them, with gaps and duplicates made on purpose. */
class TopicAuditTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void findsTheFrameWithoutAnEventAndTheDuplicatedPoseFrameInAWindow() {
        String suffix = RegistryCluster.freshTopic("");
        String frames = "frames" + suffix;
        String poses = "poses" + suffix;
        String events = "events" + suffix;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(frames, 2, (short) 1),
                            Topics.dataTopic(poses, 2, (short) 1),
                            Topics.dataTopic(events, 2, (short) 1)));
        }
        Instant before = Instant.now();
        for (String camera : List.of("cam1", "cam2")) {
            for (long seq = 0; seq < 10; seq++) {
                long capture = 1_000_000 + seq;
                send(frames, camera, frame(camera, seq, capture));
                if (!(camera.equals("cam2") && seq == 7)) {
                    send(poses, camera, pose(camera, seq, capture));
                }
                if (camera.equals("cam1") && seq == 3) {
                    send(poses, camera, pose(camera, seq, capture));
                }
                if (!(camera.equals("cam2") && seq >= 7)) {
                    send(events, camera, event(camera, seq, capture));
                }
            }
        }
        Map<String, Object> config = new HashMap<>(cluster.serdeConfig());
        config.put("bootstrap.servers", cluster.bootstrapServers());
        TopicAudit audit = new TopicAudit(config, frames, poses, events);

        AuditReport report = audit.run(TopicAudit.Window.between(before, null), Duration.ofSeconds(60));

        assertThat(report.frames()).isEqualTo(20);
        assertThat(report.complete()).isFalse();
        AuditReport.CameraAudit cam1 = report.cameras().get(0);
        AuditReport.CameraAudit cam2 = report.cameras().get(1);
        assertThat(cam1.missing()).isZero();
        assertThat(cam1.duplicated()).isEqualTo(1);
        assertThat(cam2.missing()).isEqualTo(3); // seq 7 without either, 8 and 9 without an event
        assertThat(cam2.duplicated()).isZero();

        // A window after everything written holds nothing, and nothing is missing in it.
        AuditReport empty =
                audit.run(TopicAudit.Window.between(Instant.now().plusSeconds(1), null), Duration.ofSeconds(60));
        assertThat(empty.frames()).isZero();
        assertThat(empty.complete()).isTrue();
    }

    private static <T extends SpecificRecordBase> void send(String topic, String key, T value) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()),
                new StringSerializer(),
                AvroSerdes.specific(type, cluster.serdeConfig(), false).serializer())) {
            producer.send(new ProducerRecord<>(topic, key, value));
        }
    }

    private static Frame frame(String camera, long seq, long capture) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(capture))
                .setPts(-1)
                .setWidth(4)
                .setHeight(4)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(new byte[1000]))
                .build();
    }

    private static PoseFrame pose(String camera, long seq, long capture) {
        return PoseFrame.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(capture))
                .setProcessedTime(Instant.ofEpochMilli(capture + 5))
                .setWidth(4)
                .setHeight(4)
                .setStatus(FrameStatus.POSED)
                .setDetectorModel("d")
                .setPoseModel("p")
                .setTimings(StageTimings.newBuilder()
                        .setQueueMs(0)
                        .setDecodeMs(0)
                        .setDetectMs(0)
                        .setPoseMs(0)
                        .setTotalMs(0)
                        .build())
                .setPersons(List.of())
                .build();
    }

    private static PoseEvent event(String camera, long seq, long capture) {
        return PoseEvent.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(capture))
                .setWidth(4)
                .setHeight(4)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(List.of())
                .build();
    }
}
