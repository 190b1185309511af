package io.posestream.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.analytics.streams.AnalyticsApp;
import io.posestream.analytics.streams.AnalyticsAppConfig;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.demo.EmbeddedStack;
import io.posestream.kafka.EmbeddedKafka;
import io.posestream.kafka.security.BrokerSecurity;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stage as {@code User:posestream-analytics} on a broker secured as {@code broker --secure} secures it
 * (SASL_SSL, ACLs only): with its account's ACLs it reads the tracker's pose events and writes activity events in
 * transactions; the tracker's account, which has no ACL on the analytics' topics, is refused.
 */
class AnalyticsAccountTest {
    @TempDir
    Path temp;

    @Test
    void theAnalyticsAccountMayRunTheStageAndAnotherMayNot() throws Exception {
        BrokerSecurity security = BrokerSecurity.inDirectory(temp.resolve("security"), ServiceAccount.users());
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().security(security).start()) {
            EmbeddedStack.createTopics(kafka.adminConfig(), 1);
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                ServiceAccount.grantAll(admin);
            }
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(
                            account(kafka, security, ServiceAccount.REGISTRY), "127.0.0.1", 0)
                    .start();
            try {
                Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
                // The tracker writes pose events with its own account: person 5 walks across the line.
                Map<String, Object> tracker = account(kafka, security, ServiceAccount.TRACK);
                try (var producer = new KafkaProducer<>(
                        tracker,
                        new StringSerializer(),
                        AvroSerdes.specific(PoseEvent.class, serde, false).serializer())) {
                    for (int seq = 0; seq < 12; seq++) {
                        producer.send(new ProducerRecord<>(Topics.POSE_EVENTS, "cam1", walking(seq)))
                                .get();
                    }
                }
                Path rules = temp.resolve("rules.yaml");
                Files.writeString(
                        rules,
                        "cameras: [cam1]\nrules:\n  - {name: gate, camera: cam1, type: line, line: [[500, 0], [500, 700]]}\n");

                try (AnalyticsApp app = new AnalyticsApp(
                                stage(account(kafka, security, ServiceAccount.ANALYZE), serde, rules, "a"))
                        .start()) {
                    List<ActivityEvent> events = readActivities(kafka, serde);
                    assertThat(events)
                            .extracting(
                                    e -> e.getCameraId() + " " + e.getKind() + " " + e.getRule() + " " + e.getTrackId())
                            .containsExactly("cam1 LINE_CROSSED gate 5");
                }

                assertThatThrownBy(() -> new AnalyticsApp(stage(tracker, serde, rules, "b")).start())
                        .hasMessageContaining(Topics.ACTIVITY_EVENTS)
                        .hasMessageContaining("Authorization failed");
            } finally {
                registry.close();
            }
        }
    }

    private static Map<String, Object> account(EmbeddedKafka kafka, BrokerSecurity security, ServiceAccount account) {
        Map<String, Object> config = new HashMap<>(security.clientConfig(account.user()));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    private AnalyticsAppConfig stage(Map<String, Object> kafka, Map<String, Object> serde, Path rules, String run) {
        Map<String, Object> settings = new LinkedHashMap<>(kafka);
        settings.putAll(serde);
        settings.put(AnalyticsAppConfig.STATE_DIR, temp.resolve("state-" + run).toString());
        settings.put(AnalyticsAppConfig.RULES_FILE, rules.toString());
        settings.put(AnalyticsAppConfig.COMMIT_INTERVAL_MS, "50");
        return new AnalyticsAppConfig(settings);
    }

    /** The committed activity events, read as the super user once the stage has written one. */
    private static List<ActivityEvent> readActivities(EmbeddedKafka kafka, Map<String, Object> serde) {
        Map<String, Object> config = new HashMap<>(kafka.adminConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "analytics-account-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(ActivityEvent.class, serde, false).deserializer())) {
            consumer.subscribe(List.of(Topics.ACTIVITY_EVENTS));
            List<ActivityEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (events.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> events.add(r.value()));
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> events.add(r.value())); // anything more shows up now
            return events;
        }
    }

    /** Track 5, a standing person, walking from x = 300 to x = 740 of a 1000 x 700 frame. */
    private static PoseEvent walking(int seq) {
        double x = 300 + 40 * seq;
        double y = 500;
        double[] up = {0.93, 0.95, 0.95, 0.94, 0.94, 0.82, 0.82, 0.65, 0.65, 0.5, 0.5, 0.52, 0.52, 0.27, 0.27, 0, 0};
        List<Keypoint> keypoints = new ArrayList<>();
        for (double u : up) {
            keypoints.add(new Keypoint((float) x, (float) (y - 100 * u), 0.9f));
        }
        return PoseEvent.newBuilder()
                .setCameraId("cam1")
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + 100L * seq))
                .setWidth(1000)
                .setHeight(700)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(List.of(TrackedPerson.newBuilder()
                        .setTrackId(5)
                        .setState(TrackState.CONFIRMED)
                        .setBox(new Box((float) x - 20, (float) y - 100, (float) x + 20, (float) y + 5))
                        .setScore(0.9f)
                        .setKeypoints(keypoints)
                        .setVelocity(new Velocity(40f, 0f))
                        .setAge(seq + 3)
                        .build()))
                .build();
    }
}
