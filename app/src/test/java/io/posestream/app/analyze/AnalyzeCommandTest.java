package io.posestream.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import io.posestream.app.HttpProbe;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.avro.ZoneCount;
import io.posestream.demo.EmbeddedStack;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze} as an operator starts it: a rules file, the cluster, nothing else. */
class AnalyzeCommandTest {
    private static final String RULES = """
            cameras: [cam1]
            rules:
              - {name: left-half, camera: cam1, type: zone, units: normalized,
                 polygon: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]}
              - {name: middle, camera: cam1, type: line, units: normalized, line: [[0.5, 0], [0.5, 1]]}
            """;

    @TempDir
    Path tmp;

    @Test
    void aMissingOrBadRulesFileStopsTheCommandNamingWhatIsWrong() throws Exception {
        String[] cluster = {"--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1"};
        CliRun none = CliRun.of(Map.of(), concat(new String[] {"analyze"}, cluster));
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.err()).contains("analytics.rules.file");

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "cameras: [cam1]\nrules:\n  - {name: door, camera: cam2, type: hands-raised}\n");
        CliRun badRun = CliRun.of(Map.of(), concat(new String[] {"analyze", "--rules", bad.toString()}, cluster));
        assertThat(badRun.exitCode()).isNotZero();
        assertThat(badRun.err()).contains("rule 'door'", "field 'camera'", "unknown camera 'cam2'");
    }

    @Test
    void peopleWalkingAcrossTheLinePublishCrossingsAndZoneCounts() throws Exception {
        Path rules = tmp.resolve("rules.yaml");
        Files.writeString(rules, RULES);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int metricsPort = port;
        try (EmbeddedStack stack = EmbeddedStack.start(4, 0)) {
            Thread analyze = new Thread(
                    () -> CliRun.of(
                            Map.of(),
                            "analyze",
                            "--bootstrap-servers",
                            stack.bootstrapServers(),
                            "--schema-registry-url",
                            stack.registryUrl(),
                            "--rules",
                            rules.toString(),
                            "--state-dir",
                            tmp.resolve("state").toString(),
                            "--metrics-port",
                            "" + metricsPort),
                    "analyze-command");
            analyze.start();
            try {
                HttpProbe.await(
                        () -> HttpProbe.status(metricsPort, "/health/ready") == 200,
                        "analyze ready",
                        Duration.ofMinutes(2));
                produce(stack);
                List<ActivityEvent> events = read(stack, Topics.ACTIVITY_EVENTS, ActivityEvent.class, 4);
                // Person 1 walks left to right, person 2 right to left: one crossing each way, one enter, one exit.
                assertThat(events)
                        .filteredOn(e -> e.getKind() == ActivityKind.LINE_CROSSED)
                        .extracting(ActivityEvent::getTrackId, ActivityEvent::getDirection)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple(1L, -1),
                                org.assertj.core.groups.Tuple.tuple(2L, 1));
                assertThat(events)
                        .filteredOn(e -> e.getKind() == ActivityKind.LINE_CROSSED)
                        .allMatch(e -> e.getPerson() != null && e.getCameraId().equals("cam1"));
                List<ZoneCount> counts = read(stack, Topics.ZONE_COUNTS, ZoneCount.class, 1);
                assertThat(counts).allMatch(c -> c.getZone().equals("left-half"));
            } finally {
                analyze.interrupt();
                analyze.join(60_000);
            }
        }
    }

    private static void produce(EmbeddedStack stack) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        var serde = AvroSerdes.specific(PoseEvent.class, stack.clientConfig(), false);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            for (int seq = 0; seq < 40; seq++) {
                List<TrackedPerson> persons = List.of(person(1, 100 + 15 * seq, 300), person(2, 700 - 15 * seq, 500));
                producer.send(new ProducerRecord<>(
                        Topics.POSE_EVENTS,
                        "cam1",
                        PoseEvent.newBuilder()
                                .setCameraId("cam1")
                                .setSeq(seq)
                                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + 100L * seq))
                                .setWidth(800)
                                .setHeight(600)
                                .setFrameStatus(FrameStatus.POSED)
                                .setPersons(persons)
                                .build()));
            }
        }
    }

    private static TrackedPerson person(long id, float x, float feet) {
        List<Keypoint> keypoints = new ArrayList<>();
        for (int k = 0; k < 17; k++) {
            keypoints.add(new Keypoint(x, feet - 100 + 6 * k, 0.9f));
        }
        return new TrackedPerson(
                id,
                TrackState.CONFIRMED,
                new Box(x - 20, feet - 105, x + 20, feet + 5),
                0.9f,
                keypoints,
                new Velocity(0f, 0f),
                10,
                null);
    }

    private static <T extends SpecificRecordBase> List<T> read(
            EmbeddedStack stack, String topic, Class<T> type, int atLeast) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(type, stack.clientConfig(), false).deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                if (out.size() >= atLeast) {
                    // Whatever else is committed by now comes with the next poll.
                    consumer.poll(Duration.ofMillis(1000)).forEach(r -> out.add(r.value()));
                    return out;
                }
            }
        }
        throw new AssertionError("only " + out.size() + " records on " + topic);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
