package io.posestream.examples;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both subscriber examples, run as a user runs them (a child process each), against a real broker and registry on
 * which the real analytics stage turned pose events into activity events: they must name every camera, track and
 * activity that is on the topics.
 */
class SubscriberExamplesTest {
    private static final int FRAMES = 20;
    private static final Path PYTHON_EXAMPLE = Path.of("..", "python", "consume.py");

    private static RegistryCluster cluster;
    private static int activities;

    @TempDir
    static Path temp;

    @BeforeAll
    static void poseAndActivityEventsOnTheTopics() throws Exception {
        cluster = new RegistryCluster();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Topics.ensure(admin, Topics.pipelineTopics(2, (short) 1));
        }
        // What the tracker writes: person 7 on cam-a and person 11 on cam-b walk right across the middle of the frame.
        try (var producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringSerializer(),
                AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false)
                        .serializer())) {
            for (int seq = 0; seq < FRAMES; seq++) {
                for (var camera : Map.of("cam-a", 7L, "cam-b", 11L).entrySet()) {
                    producer.send(new ProducerRecord<>(
                            Topics.POSE_EVENTS, camera.getKey(), walking(camera.getKey(), camera.getValue(), seq)));
                }
            }
        }
        // The real analytics stage, on the default topics, with a line across the middle of each camera.
        Path rules = temp.resolve("rules.yaml");
        Files.writeString(rules, """
                cameras: [cam-a, cam-b]
                rules:
                  - {name: gate, camera: cam-a, type: line, units: normalized, line: [[0.5, 0], [0.5, 1]]}
                  - {name: gate, camera: cam-b, type: line, units: normalized, line: [[0.5, 0], [0.5, 1]]}
                """);
        Map<String, Object> settings = new LinkedHashMap<>(cluster.serdeConfig());
        settings.put(AnalyticsAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(AnalyticsAppConfig.STATE_DIR, temp.resolve("state").toString());
        settings.put(AnalyticsAppConfig.RULES_FILE, rules.toString());
        settings.put(AnalyticsAppConfig.COMMIT_INTERVAL_MS, "50");
        try (AnalyticsApp app = new AnalyticsApp(new AnalyticsAppConfig(settings)).start()) {
            activities = awaitActivities(2);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void thePythonExampleNamesEveryCameraTrackAndActivity() throws Exception {
        // Debian's interpreter, where python3-confluent-kafka and python3-avro are.
        String output = run(List.of("/usr/bin/python3", PYTHON_EXAMPLE.toString()));
        assertNamesEverything(output);
    }

    @Test
    void theJavaExampleNamesEveryCameraTrackAndActivity() throws Exception {
        String output = run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ConsumeEvents.class.getName()));
        assertNamesEverything(output);
    }

    private static void assertNamesEverything(String output) {
        List<String> lines = output.lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("pose ")))
                .hasSize(2 * FRAMES)
                .anyMatch(l -> l.startsWith("pose cam-a seq 19 ") && l.endsWith("1 persons: track 7 CONFIRMED"))
                .anyMatch(l -> l.startsWith("pose cam-b seq 0 ") && l.endsWith("1 persons: track 11 CONFIRMED"));
        assertThat(lines.stream().filter(l -> l.startsWith("activity ")))
                .hasSize(activities)
                .anyMatch(l -> l.startsWith("activity cam-a ") && l.endsWith(": LINE_CROSSED rule gate track 7"))
                .anyMatch(l -> l.startsWith("activity cam-b ") && l.endsWith(": LINE_CROSSED rule gate track 11"));
    }

    /** Runs an example on this cluster to its end (every record read) and returns what it printed; it must exit 0. */
    private static String run(List<String> example) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(example);
        command.addAll(List.of(
                "--bootstrap",
                cluster.bootstrapServers(),
                "--registry",
                cluster.registryUrl(),
                "--max",
                Integer.toString(2 * FRAMES + activities),
                "--timeout",
                "30"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("exit code of %s; output:%n%s", command, output)
                .isZero();
        return output;
    }

    /** Reads activity events until at least {@code least} arrived and 2 s passed without more; returns how many. */
    private static int awaitActivities(int least) throws InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "examples-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(ActivityEvent.class, cluster.serdeConfig(), false)
                        .deserializer())) {
            consumer.subscribe(List.of(Topics.ACTIVITY_EVENTS));
            List<ActivityEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> events.add(r.value()));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                } else if (events.size() >= least && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                    return events.size();
                }
            }
            throw new AssertionError("only " + events.size() + " activity events: " + events);
        }
    }

    /** A standing person with tracker id {@code trackId}, walking from x = 300 to x = 680 of a 1000 x 700 frame. */
    private static PoseEvent walking(String camera, long trackId, int seq) {
        double x = 300 + 20 * seq;
        double y = 500;
        double[] up = {0.93, 0.95, 0.95, 0.94, 0.94, 0.82, 0.82, 0.65, 0.65, 0.5, 0.5, 0.52, 0.52, 0.27, 0.27, 0, 0};
        double[] dx = {0, -3, 3, -6, 6, -12, 12, -14, 14, -15, 15, -8, 8, -8, 8, -7, 7};
        List<Keypoint> keypoints = new ArrayList<>();
        for (int k = 0; k < up.length; k++) {
            keypoints.add(new Keypoint((float) (x + dx[k]), (float) (y - 100 * up[k]), 0.9f));
        }
        TrackedPerson person = TrackedPerson.newBuilder()
                .setTrackId(trackId)
                .setState(TrackState.CONFIRMED)
                .setBox(new Box((float) x - 20, (float) y - 100, (float) x + 20, (float) y + 5))
                .setScore(0.9f)
                .setKeypoints(keypoints)
                .setVelocity(new Velocity(20f, 0f))
                .setAge(seq + 3)
                .build();
        return PoseEvent.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + 100L * seq))
                .setWidth(1000)
                .setHeight(700)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(List.of(person))
                .build();
    }
}
