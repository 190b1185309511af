package io.posestream.analytics.streams;

import static io.posestream.schemas.StreamsStageTests.awaitTrue;
import static io.posestream.schemas.StreamsStageTests.produceByCamera;
import static io.posestream.schemas.StreamsStageTests.startJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.DeadLetters;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics application on a real broker: a killed instance and its successor, zone counts, dead letters. */
class AnalyticsAppTest {
    private static final int CAMERAS = 4;

    private static RegistryCluster cluster;

    @TempDir
    Path temp;

    @BeforeAll
    static void startCluster() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void killedAndRestartedMidStreamNeitherRepeatsNorLosesEvents() throws Exception {
        Names names = names("restart");
        List<PoseEvent> input = events(120);
        AnalyticsRules rules = RulesFile.parse(TestEvents.rules(CAMERAS), "test");
        List<String> expected = TestEvents.expected(input, rules);
        assertThat(expected).hasSizeGreaterThan(100);
        List<PoseEvent> first = input.subList(0, 40 * CAMERAS);
        List<PoseEvent> rest = input.subList(40 * CAMERAS, input.size());
        long expectedFirst = TestEvents.expected(first, rules).size();
        try (Reader<ActivityEvent> events = new Reader<>(names.events, ActivityEvent.class);
                Reader<ZoneCount> counts = new Reader<>(names.counts, ZoneCount.class)) {
            produceByCamera(cluster, names.in, PoseEvent.class, first, PoseEvent::getCameraId, 0);
            Process child = startJvm(
                    AnalyticsProcess.class,
                    settings(names, temp.resolve("state-1")),
                    temp.resolve("state-1").resolveSibling("child.log"));
            try {
                awaitTrue("the first events", Duration.ofSeconds(90), () -> events.poll() >= expectedFirst);
                // Keep producing while the analytics runs, and kill it (SIGKILL) part-way through.
                Thread producer = new Thread(
                        () -> produceByCamera(cluster, names.in, PoseEvent.class, rest, PoseEvent::getCameraId, 2));
                producer.start();
                awaitTrue("more events", Duration.ofSeconds(60), () -> events.poll() >= expectedFirst + 20);
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                producer.join();
            } finally {
                child.destroyForcibly();
            }
            // A new instance on a fresh state directory: the state comes back from the changelog.
            try (AnalyticsApp app = new AnalyticsApp(config(names, temp.resolve("state-2"))).start()) {
                awaitTrue("all events", Duration.ofSeconds(90), () -> events.poll() >= expected.size());
                Thread.sleep(1500); // anything extra (a duplicate) would show up now
                events.poll();
                counts.poll();
            }
            assertThat(events.records)
                    .extracting(r -> TestEvents.describe(r.value()))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(events.records).allMatch(r -> r.key().equals(r.value().getCameraId()));
            // The latest count of each zone is the zone's count after the last frame.
            Map<String, Integer> latest = new HashMap<>();
            counts.records.forEach(r -> latest.put(r.key(), r.value().getCount()));
            assertThat(latest).containsOnlyKeys("cam-0/square", "cam-1/square", "cam-2/square", "cam-3/square");
            for (int camera = 0; camera < CAMERAS; camera++) {
                int c = camera;
                List<String> zoneEvents = expected.stream()
                        .filter(e -> e.contains("/square/ZONE_"))
                        .filter(e -> e.startsWith("cam-" + c + "/"))
                        .toList();
                String last = zoneEvents.get(zoneEvents.size() - 1);
                assertThat(latest.get("cam-" + c + "/square"))
                        .as("count of cam-%d after %s", c, last)
                        .isEqualTo(Integer.parseInt(last.substring(last.lastIndexOf('/') + 1)));
            }
        }
    }

    /**
     * Cameras handed from one instance to another, while both run and when one stops: the state each camera moved
     * on to must go with it (the store writes it at the commit that hands the task over), or the next instance
     * would raise enters and crossings again, or miss them.
     */
    @Test
    void camerasHandedBetweenRunningInstancesNeitherRepeatNorLoseEvents() throws Exception {
        Names names = names("handover");
        List<PoseEvent> input = events(120);
        AnalyticsRules rules = RulesFile.parse(TestEvents.rules(CAMERAS), "test");
        int third = 40 * CAMERAS;
        List<String> expected = TestEvents.expected(input, rules);
        long expectedFirst = TestEvents.expected(input.subList(0, third), rules).size();
        long expectedSecond =
                TestEvents.expected(input.subList(0, 2 * third), rules).size();
        assertThat(expectedSecond).isGreaterThan(expectedFirst);
        assertThat(expected).hasSizeGreaterThan((int) expectedSecond);
        try (Reader<ActivityEvent> events = new Reader<>(names.events, ActivityEvent.class);
                AnalyticsApp b = new AnalyticsApp(config(names, temp.resolve("state-b")))) {
            try (AnalyticsApp a = new AnalyticsApp(config(names, temp.resolve("state-a"))).start()) {
                produceByCamera(cluster, names.in, PoseEvent.class, input.subList(0, third), PoseEvent::getCameraId, 0);
                awaitTrue("the first events", Duration.ofSeconds(90), () -> events.poll() >= expectedFirst);
                // A second instance joins: some cameras move to it with the state the first one left them in.
                b.start();
                awaitTrue("cameras on both instances", Duration.ofSeconds(60), () -> {
                    events.poll();
                    return activeTasks(a) > 0 && activeTasks(b) > 0;
                });
                produceByCamera(
                        cluster, names.in, PoseEvent.class, input.subList(third, 2 * third), PoseEvent::getCameraId, 0);
                awaitTrue("the second events", Duration.ofSeconds(90), () -> events.poll() >= expectedSecond);
            }
            // The first instance stopped cleanly: the second takes every camera.
            awaitTrue("every camera on the second instance", Duration.ofSeconds(60), () -> {
                events.poll();
                return activeTasks(b) == CAMERAS;
            });
            produceByCamera(
                    cluster,
                    names.in,
                    PoseEvent.class,
                    input.subList(2 * third, input.size()),
                    PoseEvent::getCameraId,
                    0);
            awaitTrue("all events", Duration.ofSeconds(90), () -> events.poll() >= expected.size());
            Thread.sleep(1500); // anything extra (a duplicate) would show up now
            events.poll();
            assertThat(events.records)
                    .extracting(r -> TestEvents.describe(r.value()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static int activeTasks(AnalyticsApp app) {
        return app.state() != KafkaStreams.State.RUNNING
                ? 0
                : app.streams().metadataForLocalThreads().stream()
                        .mapToInt(t -> t.activeTasks().size())
                        .sum();
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheAppKeepsGoing() throws Exception {
        Names names = names("dlq");
        List<PoseEvent> input = events(30);
        List<String> expected = TestEvents.expected(input, RulesFile.parse(TestEvents.rules(CAMERAS), "test"));
        try (Reader<ActivityEvent> events = new Reader<>(names.events, ActivityEvent.class);
                AnalyticsApp app = new AnalyticsApp(config(names, temp.resolve("dlq"))).start()) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                names.in, 1, "cam-1", "not a pose event".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            produceByCamera(cluster, names.in, PoseEvent.class, input, PoseEvent::getCameraId, 0);
            awaitTrue("events of the good records", Duration.ofSeconds(60), () -> events.poll() >= expected.size());
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(events.records)
                    .extracting(r -> TestEvents.describe(r.value()))
                    .containsExactlyInAnyOrderElementsOf(expected);
            List<byte[]> dead = cluster.consumeRaw(names.dlq, 1);
            assertThat(new String(dead.get(0), StandardCharsets.UTF_8)).isEqualTo("not a pose event");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                consumer.assign(List.of(new TopicPartition(names.dlq, 0)));
                consumer.seekToBeginning(consumer.assignment());
                var record = consumer.poll(Duration.ofSeconds(10)).iterator().next();
                assertThat(new String(
                                record.headers()
                                        .lastHeader(DeadLetters.STAGE_HEADER)
                                        .value(),
                                StandardCharsets.UTF_8))
                        .isEqualTo("analytics");
                assertThat(new String(
                                record.headers()
                                        .lastHeader(DeadLetters.TOPIC_HEADER)
                                        .value(),
                                StandardCharsets.UTF_8))
                        .isEqualTo(names.in);
            }
        }
    }

    private record Names(String in, String events, String counts, String dlq, String applicationId) {}

    private Names names(String name) throws IOException {
        String in = RegistryCluster.freshTopic("pose-events-" + name);
        Names names = new Names(in, in + "-activity", in + "-counts", in + ".dlq", "analytics-" + in);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Topics.ensure(admin, List.of(Topics.dataTopic(names.in, CAMERAS, (short) 1)));
        }
        Files.writeString(temp.resolve("rules.yaml"), TestEvents.rules(CAMERAS));
        return names;
    }

    private Map<String, Object> settings(Names names, Path stateDir) {
        Map<String, Object> settings = new LinkedHashMap<>(cluster.serdeConfig());
        settings.put(AnalyticsAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(AnalyticsAppConfig.APPLICATION_ID, names.applicationId);
        settings.put(AnalyticsAppConfig.STATE_DIR, stateDir.toString());
        settings.put(AnalyticsAppConfig.RULES_FILE, temp.resolve("rules.yaml").toString());
        settings.put(AnalyticsAppConfig.INPUT_TOPIC, names.in);
        settings.put(AnalyticsAppConfig.OUTPUT_TOPIC, names.events);
        settings.put(AnalyticsAppConfig.COUNTS_TOPIC, names.counts);
        settings.put(AnalyticsAppConfig.DLQ_TOPIC, names.dlq);
        settings.put(AnalyticsAppConfig.COMMIT_INTERVAL_MS, "50");
        // Quick failure detection and rebalances for a test; the defaults suit production.
        settings.put("consumer.session.timeout.ms", "10000");
        settings.put("consumer.heartbeat.interval.ms", "500");
        return settings;
    }

    private AnalyticsAppConfig config(Names names, Path stateDir) {
        return new AnalyticsAppConfig(settings(names, stateDir));
    }

    /** Four cameras, each on its own partition, {@code perCamera} events each, interleaved. */
    private static List<PoseEvent> events(int perCamera) {
        List<PoseEvent> events = new ArrayList<>();
        for (long seq = 0; seq < perCamera; seq++) {
            for (int c = 0; c < CAMERAS; c++) {
                events.add(TestEvents.walking("cam-" + c, c, seq));
            }
        }
        return events;
    }

    /** Reads a topic as a read_committed consumer would, subscribing so topics created later are picked up. */
    private static final class Reader<T extends SpecificRecordBase> implements AutoCloseable {
        final List<ConsumerRecord<String, T>> records = new ArrayList<>();
        private final KafkaConsumer<String, T> consumer;

        Reader(String topic, Class<T> type) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
            config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
            Deserializer<T> values =
                    AvroSerdes.specific(type, cluster.serdeConfig(), false).deserializer();
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
            consumer.subscribe(List.of(topic));
        }

        int poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
