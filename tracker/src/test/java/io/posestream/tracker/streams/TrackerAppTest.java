package io.posestream.tracker.streams;

import static io.posestream.schemas.StreamsStageTests.awaitTrue;
import static io.posestream.schemas.StreamsStageTests.produceByCamera;
import static io.posestream.schemas.StreamsStageTests.startJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker application on a real broker: crash and restart, scale-out, dead letters. */
class TrackerAppTest {
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
    void killedAndRestartedMidStreamContinuesIdsWithoutDuplicates() throws Exception {
        Topics topics = topics("restart");
        List<PoseFrame> frames = frames(120);
        List<PoseFrame> first = frames.subList(0, 40 * CAMERAS);
        List<PoseFrame> rest = frames.subList(40 * CAMERAS, frames.size());
        try (EventReader events = new EventReader(topics.out)) {
            produceByCamera(cluster, topics.in, PoseFrame.class, first, PoseFrame::getCameraId, 0);
            Process child = startJvm(
                    TrackerProcess.class,
                    settings(topics, temp.resolve("state-1")),
                    temp.resolve("state-1").resolveSibling("child.log"));
            try {
                awaitTrue("the first events", Duration.ofSeconds(60), () -> events.poll() >= first.size());
                // Keep producing while the tracker runs, and kill it (SIGKILL) part-way through.
                Thread producer = new Thread(
                        () -> produceByCamera(cluster, topics.in, PoseFrame.class, rest, PoseFrame::getCameraId, 2));
                producer.start();
                awaitTrue("more events", Duration.ofSeconds(60), () -> events.poll() >= first.size() + 40);
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                producer.join();
            } finally {
                child.destroyForcibly();
            }
            // A new instance on a fresh state directory: state comes back from the changelog.
            try (TrackerApp app = new TrackerApp(config(topics, temp.resolve("state-2"))).start()) {
                awaitTrue("all events", Duration.ofSeconds(90), () -> events.poll() >= frames.size());
                Thread.sleep(1500); // anything extra (a duplicate) would show up now
                events.poll();
            }
            assertThat(events.records).hasSize(frames.size());
            assertThat(events.byFrame()).containsExactlyInAnyOrderEntriesOf(TestFrames.expected(frames));
        }
    }

    @Test
    void twoInstancesOverFourPartitionsGiveTheSameEventsAsOne() throws Exception {
        Topics topics = topics("scale");
        List<PoseFrame> frames = frames(60);
        try (EventReader events = new EventReader(topics.out);
                TrackerApp a = new TrackerApp(config(topics, temp.resolve("a"))).start();
                TrackerApp b = new TrackerApp(config(topics, temp.resolve("b"))).start()) {
            awaitTrue(
                    "both instances running with tasks",
                    Duration.ofSeconds(60),
                    () -> activeTasks(a) > 0 && activeTasks(b) > 0 && activeTasks(a) + activeTasks(b) == CAMERAS);
            produceByCamera(cluster, topics.in, PoseFrame.class, frames, PoseFrame::getCameraId, 0);
            awaitTrue("all events", Duration.ofSeconds(60), () -> events.poll() >= frames.size());
            Thread.sleep(500);
            events.poll();
            assertThat(events.records).hasSize(frames.size());
            assertThat(events.byFrame()).containsExactlyInAnyOrderEntriesOf(TestFrames.expected(frames));
            assertThat(activeTasks(a)).isPositive();
            assertThat(activeTasks(b)).isPositive();
        }
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithHeadersAndTheAppKeepsGoing() throws Exception {
        Topics topics = topics("dlq");
        List<PoseFrame> frames = frames(3);
        try (EventReader events = new EventReader(topics.out);
                TrackerApp app = new TrackerApp(config(topics, temp.resolve("dlq"))).start()) {
            produceByCamera(cluster, topics.in, PoseFrame.class, frames.subList(0, CAMERAS), PoseFrame::getCameraId, 0);
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            long badOffset;
            try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                badOffset = producer.send(new ProducerRecord<>(
                                topics.in, 1, "cam-1", "not a pose frame".getBytes(StandardCharsets.UTF_8)))
                        .get()
                        .offset();
            }
            produceByCamera(
                    cluster,
                    topics.in,
                    PoseFrame.class,
                    frames.subList(CAMERAS, frames.size()),
                    PoseFrame::getCameraId,
                    0);
            awaitTrue("events of the good frames", Duration.ofSeconds(60), () -> events.poll() >= frames.size());
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(events.byFrame()).containsExactlyInAnyOrderEntriesOf(TestFrames.expected(frames));

            ConsumerRecord<byte[], byte[]> dead = readOne(topics.dlq);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not a pose frame");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");
            assertThat(header(dead, io.posestream.schemas.DeadLetters.TOPIC_HEADER))
                    .isEqualTo(topics.in);
            assertThat(header(dead, io.posestream.schemas.DeadLetters.PARTITION_HEADER))
                    .isEqualTo("1");
            assertThat(header(dead, io.posestream.schemas.DeadLetters.OFFSET_HEADER))
                    .isEqualTo(Long.toString(badOffset));
            assertThat(header(dead, io.posestream.schemas.DeadLetters.STAGE_HEADER))
                    .isEqualTo("tracker");
            assertThat(header(dead, io.posestream.schemas.DeadLetters.ERROR_CLASS_HEADER))
                    .isNotBlank();
            assertThat(header(dead, io.posestream.schemas.DeadLetters.ERROR_MESSAGE_HEADER))
                    .isNotBlank();
        }
    }

    @Test
    void aRecordWhoseSchemaIsNotCachedWaitsForTheRegistryAndNothingIsDeadLettered() throws Exception {
        Topics topics = topics("registry");
        List<PoseFrame> frames = frames(5);
        produceByCamera(cluster, topics.in, PoseFrame.class, frames, PoseFrame::getCameraId, 0);
        int registryPort = cluster.registry.port();
        TrackerAppConfig config = config(topics, temp.resolve("registry"));
        cluster.registry.close();
        boolean restarted = false;
        try (TrackerApp app = new TrackerApp(config).start()) {
            // A new tracker has no schema cached: it cannot read its input until the registry is back. Its stream
            // thread gives up on the record and is replaced, reading it again, as long as the registry is away.
            Thread.sleep(8000);
            assertThat(app.state().isRunningOrRebalancing())
                    .as("still up while it waits")
                    .isTrue();
            cluster.registry = cluster.startRegistry(registryPort);
            restarted = true;
            try (EventReader events = new EventReader(topics.out)) {
                awaitTrue("every event", Duration.ofSeconds(90), () -> events.poll() >= frames.size());
                Thread.sleep(1000);
                events.poll();
                assertThat(events.byFrame()).containsExactlyInAnyOrderEntriesOf(TestFrames.expected(frames));
            }
            assertThat(app.state().isRunningOrRebalancing()).isTrue();
        } finally {
            if (!restarted) {
                cluster.registry = cluster.startRegistry(registryPort);
            }
        }
        assertThat(endOffset(topics.dlq)).as("dead letters").isZero();
    }

    private static long endOffset(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private record Topics(String in, String out, String dlq, String applicationId) {}

    private static Topics topics(String name) {
        String in = RegistryCluster.freshTopic("poses-" + name);
        Topics topics = new Topics(in, in + "-events", in + ".dlq", "tracker-" + in);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            io.posestream.schemas.Topics.ensure(
                    admin,
                    List.of(
                            io.posestream.schemas.Topics.dataTopic(topics.in, CAMERAS, (short) 1),
                            io.posestream.schemas.Topics.dataTopic(topics.out, CAMERAS, (short) 1),
                            io.posestream.schemas.Topics.dataTopic(topics.dlq, 1, (short) 1)));
        }
        return topics;
    }

    private static Map<String, Object> settings(Topics topics, Path stateDir) {
        Map<String, Object> settings = new LinkedHashMap<>(cluster.serdeConfig());
        settings.put(TrackerAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(TrackerAppConfig.APPLICATION_ID, topics.applicationId);
        settings.put(TrackerAppConfig.STATE_DIR, stateDir.toString());
        settings.put(TrackerAppConfig.INPUT_TOPIC, topics.in);
        settings.put(TrackerAppConfig.OUTPUT_TOPIC, topics.out);
        settings.put(TrackerAppConfig.DLQ_TOPIC, topics.dlq);
        settings.put(TrackerAppConfig.COMMIT_INTERVAL_MS, "50");
        // Quick failure detection and rebalances for a test; the defaults suit production.
        settings.put("consumer.session.timeout.ms", "10000");
        settings.put("consumer.heartbeat.interval.ms", "500");
        return settings;
    }

    private static TrackerAppConfig config(Topics topics, Path stateDir) {
        return new TrackerAppConfig(settings(topics, stateDir));
    }

    /** Four cameras, each on its own partition, {@code perCamera} frames each, interleaved. */
    private static List<PoseFrame> frames(int perCamera) {
        List<PoseFrame> frames = new ArrayList<>();
        for (long seq = 0; seq < perCamera; seq++) {
            for (int c = 0; c < CAMERAS; c++) {
                frames.add(TestFrames.walking("cam-" + c, c, seq));
            }
        }
        return frames;
    }

    private static int activeTasks(TrackerApp app) {
        if (app.state() != KafkaStreams.State.RUNNING) {
            return 0;
        }
        return app.streams().metadataForLocalThreads().stream()
                .mapToInt(t -> t.activeTasks().size())
                .sum();
    }

    private static ConsumerRecord<byte[], byte[]> readOne(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    assertThat(records.count()).isEqualTo(1);
                    return records.iterator().next();
                }
            }
        }
        throw new AssertionError("nothing on " + topic);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Reads the output topic as a read_committed consumer would, accumulating every event. */
    private static final class EventReader implements AutoCloseable {
        final List<ConsumerRecord<String, PoseEvent>> records = new ArrayList<>();
        private final KafkaConsumer<String, PoseEvent> consumer;

        EventReader(String topic) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            AvroSerde<PoseEvent> serde = AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false);
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < CAMERAS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        int poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size();
        }

        Map<String, List<String>> byFrame() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (var record : records) {
                String key = record.value().getCameraId() + "/" + record.value().getSeq();
                assertThat(out).as("duplicate event %s", key).doesNotContainKey(key);
                out.put(key, TestFrames.tracks(record.value()));
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
