package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.Frame;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard against a real broker and registry: records in through the registry serde, tiles (and, from the
 * rules file it is given, analytics panels) out over SSE.
 */
class DashboardServerKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RegistryCluster cluster;
    private static TopicFeed feed;
    private static DashboardServer dashboard;
    private static Path rules;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RegistryCluster();
        TopicFeed.createTopics(cluster);
        rules = Files.createTempFile("dashboard-rules", ".yaml");
        Files.writeString(rules, AnalyticsBoardTest.RULES);
        feed = new TopicFeed(cluster);
        // History: written before the dashboard starts, so never shown (a dashboard shows the present).
        Instant past = Instant.now();
        feed.send(TestScenes.frame("cam-history", 0, past, TestScenes.jpeg(List.of())));
        feed.send(TestScenes.event("cam-history", 0, past, List.of()));
        // Zone counts are the state now, not history: the one written before the start is shown.
        sendAnalytics(false, Topics.ZONE_COUNTS, "cam1/door", AnalyticsBoardTest.count("cam1", "door", 3, true, 1));
        Thread.sleep(20);
        dashboard = DashboardServer.start(Map.of(
                DashboardConfig.RULES_FILE,
                rules.toString(),
                DashboardConfig.BOOTSTRAP_SERVERS,
                cluster.bootstrapServers(),
                DashboardConfig.SCHEMA_REGISTRY_URL,
                cluster.registryUrl(),
                DashboardConfig.PORT,
                "0",
                DashboardConfig.JOIN_TIMEOUT_MS,
                "1000",
                DashboardConfig.FIGURES_INTERVAL_MS,
                "100"));
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (rules != null) {
            rules.toFile().delete();
        }
    }

    /** Writes one analytics record through the registry serde, in a transaction that commits or aborts. */
    private static <T extends SpecificRecordBase> void sendAnalytics(boolean abort, String topic, String key, T value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "dashboard-test-analytics");
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(
                config,
                new StringSerializer(),
                AvroSerdes.specific(type, cluster.serdeConfig(), false).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
            if (abort) {
                producer.abortTransaction();
            } else {
                producer.commitTransaction();
            }
        }
    }

    @Test
    void tilesCarryTheFrameAndItsTrackedSkeletonsOverServerSentEvents() throws Exception {
        assertThat(dashboard.url().getHost()).isEqualTo("127.0.0.1");
        try (SseStream browser = SseStream.connect(dashboard.url()).startReading()) {
            // Captured over the last half second, as a camera would have.
            Instant t0 = Instant.now().minusMillis(500);
            byte[] lastJpeg = null;
            for (long seq = 0; seq < 5; seq++) {
                Instant capture = t0.plusMillis(100 * seq);
                List<List<Keypoint>> people = TestScenes.people(2, seq);
                lastJpeg = TestScenes.jpeg(people);
                feed.send(TestScenes.frame("cam-a", seq, capture, lastJpeg));
                feed.send(TestScenes.frame("cam-b", seq, capture, TestScenes.jpeg(List.of())));
                feed.send(TestScenes.event(
                        "cam-a",
                        seq,
                        capture,
                        List.of(
                                TestScenes.tracked(11, TrackState.CONFIRMED, people.get(0)),
                                TestScenes.tracked(12, TrackState.LOST, people.get(1)))));
                feed.send(TestScenes.event("cam-b", seq, capture, List.of()));
            }

            JsonNode tile = browser.await(
                            "tile of cam-a seq 4",
                            e -> e.name().equals("tile")
                                    && e.data().path("camera").asText().equals("cam-a")
                                    && e.data().path("seq").asLong() == 4,
                            WAIT)
                    .data();
            assertThat(tile.path("posed").asBoolean()).isTrue();
            assertThat(tile.path("width").asInt()).isEqualTo(TestScenes.WIDTH);
            assertThat(tile.path("persons").findValues("trackId"))
                    .extracting(JsonNode::asLong)
                    .containsExactly(11L, 12L);
            assertThat(tile.path("persons").get(1).path("state").asText()).isEqualTo("LOST");
            JsonNode nose = tile.path("persons").get(0).path("keypoints").get(0);
            assertThat(nose.get(0).floatValue())
                    .isEqualTo(TestScenes.people(2, 4).get(0).get(0).getX());
            byte[] image =
                    Base64.getDecoder().decode(tile.path("image").asText().replace("data:image/jpeg;base64,", ""));
            assertThat(image).isEqualTo(lastJpeg);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
            assertThat(decoded.getWidth()).isEqualTo(TestScenes.WIDTH);

            browser.await(
                    "tile of cam-b",
                    e -> e.name().equals("tile")
                            && e.data().path("camera").asText().equals("cam-b"),
                    WAIT);
            awaitTrue("figures of cam-a", () -> {
                CameraFigures f = dashboard.figures().get("cam-a");
                return f != null && f.fpsIn() > 0 && f.fpsPosed() > 0 && f.lag() == 0 && f.shownSeq() == 4;
            });
        }
        JsonNode state = get("api/state");
        assertThat(state.path("cameras").path("cam-a").path("persons").asInt()).isEqualTo(1);
        assertThat(state.path("cameras").path("cam-a").path("latencyP50Ms").asDouble())
                .isGreaterThanOrEqualTo(0);
        assertThat(state.path("cameras").has("cam-b")).isTrue();
        assertThat(state.path("cameras").has("cam-history"))
                .as("records from before the start")
                .isFalse();
    }

    @Test
    void malformedRecordsAreSkippedCountedAndTheNextGoodOnesStillShow() throws Exception {
        SkipCounters before = dashboard.counters();
        // Not Confluent wire format at all, on both topics.
        cluster.produceRaw(Topics.FRAMES, List.of("{\"cameraId\":\"cam-bad\"}".getBytes()));
        cluster.produceRaw(Topics.POSE_EVENTS, List.of(new byte[] {0, 0, 0}));
        // A PoseFrame (registered for the poses topic) on the pose-events topic: a real schema id, not a PoseEvent.
        PoseFrame wrongType = PoseFrame.newBuilder()
                .setCameraId("cam-bad")
                .setSeq(0)
                .setCaptureTime(Instant.now())
                .setProcessedTime(Instant.now())
                .setWidth(1)
                .setHeight(1)
                .setStatus(io.posestream.avro.FrameStatus.POSED)
                .setDetectorModel("d")
                .setPoseModel("p")
                .setTimings(new StageTimings(0f, 0f, 0f, 0f, 0f, 0f, 0f))
                .setPersons(List.of())
                .build();
        cluster.produceRaw(
                Topics.POSE_EVENTS,
                List.of(AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                        .serializer()
                        .serialize(Topics.POSES, wrongType)));
        // A valid record with an invalid person (3 keypoints).
        Instant capture = Instant.now();
        TrackedPerson threeKeypoints = TestScenes.tracked(
                5, TrackState.CONFIRMED, TestScenes.standing(100, 50, 200).subList(0, 3));
        feed.send(TestScenes.frame("cam-c", 0, capture, TestScenes.jpeg(List.of())));
        feed.send(TestScenes.event("cam-c", 0, capture, List.of(threeKeypoints)));
        // And then a good pair.
        List<Keypoint> person = TestScenes.standing(300, 100, 250);
        feed.send(TestScenes.frame("cam-c", 1, capture.plusMillis(100), TestScenes.jpeg(List.of(person))));
        feed.send(TestScenes.event(
                "cam-c", 1, capture.plusMillis(100), List.of(TestScenes.tracked(6, TrackState.CONFIRMED, person))));

        awaitTrue("the skips counted and cam-c's good pair shown", () -> {
            SkipCounters now = dashboard.counters();
            CameraFigures c = dashboard.figures().get("cam-c");
            return now.malformedFrames() - before.malformedFrames() == 1
                    && now.malformedEvents() - before.malformedEvents() == 3
                    && c != null
                    && c.shownSeq() == 1
                    // Frame 0 lost its (malformed) event: released when event 1 passes it, or at the join timeout.
                    && now.framesWithoutEvent() - before.framesWithoutEvent() == 1;
        });
        SkipCounters after = dashboard.counters();
        assertThat(after.eventsWithoutFrame()).isEqualTo(before.eventsWithoutFrame());
        assertThat(after.lastSkipReason()).isNotEmpty();
        JsonNode counters = get("api/state").path("counters");
        assertThat(counters.path("malformedEvents").asLong()).isEqualTo(after.malformedEvents());
        assertThat(dashboard.figures()).doesNotContainKey("cam-bad");
    }

    @Test
    void aBrowserThatStopsReadingGetsTheLatestStateNotABacklog() throws Exception {
        // Incompressible frames of a few hundred KB: far more than socket buffers hold between server and client.
        BufferedImage noise = new BufferedImage(TestScenes.WIDTH, TestScenes.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(noise, "jpg", jpeg);
        assertThat(jpeg.size()).isGreaterThan(150_000);
        int count = 100;
        try (SseStream slow = SseStream.connect(dashboard.url())) {
            awaitTrue("the slow browser connected", () -> dashboard.clients() >= 1);
            Instant t0 = Instant.now();
            List<Frame> frames = new ArrayList<>();
            List<PoseEvent> events = new ArrayList<>();
            for (long seq = 0; seq < count; seq++) {
                frames.add(TestScenes.frame("cam-slow", seq, t0.plusMillis(seq), jpeg.toByteArray()));
                events.add(TestScenes.event("cam-slow", seq, t0.plusMillis(seq), List.of()));
            }
            feed.sendAll(frames, events);
            awaitTrue("the dashboard to show the last frame", () -> {
                CameraFigures f = dashboard.figures().get("cam-slow");
                return f != null && f.shownSeq() == count - 1;
            });

            slow.startReading();
            slow.await(
                    "the latest tile of cam-slow",
                    e -> e.name().equals("tile")
                            && e.data().path("camera").asText().equals("cam-slow")
                            && e.data().path("seq").asLong() == count - 1,
                    WAIT);
            long tilesReceived = slow.received().stream()
                    .filter(e -> e.name().equals("tile")
                            && e.data().path("camera").asText().equals("cam-slow"))
                    .count();
            // Everything sent before the socket filled up, then the latest: far fewer than one tile per frame.
            assertThat(tilesReceived).isLessThan(count / 2);
        }
    }

    @Test
    void activityEventsAndZoneCountsOfTheAnalyticsReachTheCamerasPanelCommittedOnly() throws Exception {
        try (SseStream browser = SseStream.connect(dashboard.url()).startReading()) {
            JsonNode first = browser.await(
                            "cam1's zones and the count from before the start",
                            e -> e.name().equals("analytics")
                                    && e.data().path("camera").asText().equals("cam1")
                                    && e.data()
                                                    .path("zones")
                                                    .get(0)
                                                    .path("count")
                                                    .asInt(-1)
                                            == 3,
                            WAIT)
                    .data();
            assertThat(first.path("zones").get(0).path("overcrowded").asBoolean())
                    .isTrue();
            assertThat(first.path("lines").get(0).path("name").asText()).isEqualTo("gate");

            ActivityEvent aborted = AnalyticsBoardTest.activity("cam1", 5, "gate", ActivityKind.LINE_CROSSED, 6L);
            aborted.setDirection(-1);
            sendAnalytics(true, Topics.ACTIVITY_EVENTS, "cam1", aborted);
            ActivityEvent crossed = AnalyticsBoardTest.activity("cam1", 6, "gate", ActivityKind.LINE_CROSSED, 7L);
            crossed.setDirection(1);
            sendAnalytics(false, Topics.ACTIVITY_EVENTS, "cam1", crossed);
            sendAnalytics(
                    false, Topics.ZONE_COUNTS, "cam1/door", AnalyticsBoardTest.count("cam1", "door", 0, false, 6));

            JsonNode panel = browser.await(
                            "cam1's crossing and its zone emptied",
                            e -> e.name().equals("analytics")
                                    && e.data().path("camera").asText().equals("cam1")
                                    && e.data().path("received").asLong() == 1
                                    && e.data()
                                                    .path("zones")
                                                    .get(0)
                                                    .path("count")
                                                    .asInt(-1)
                                            == 0,
                            WAIT)
                    .data();
            // The aborted crossing (track 6, -1) is never read: one event, one crossing at +1.
            assertThat(panel.path("events")).hasSize(1);
            assertThat(panel.path("events").get(0).path("trackId").asLong()).isEqualTo(7);
            assertThat(panel.path("lines").get(0).path("positive").asLong()).isEqualTo(1);
            assertThat(panel.path("lines").get(0).path("negative").asLong()).isZero();
        }
        JsonNode state = get("api/state");
        assertThat(state.path("analytics")
                        .path("cam1")
                        .path("events")
                        .get(0)
                        .path("kind")
                        .asText())
                .isEqualTo("LINE_CROSSED");
        assertThat(state.path("analytics")
                        .path("cam2")
                        .path("lines")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("path");
        assertThat(state.path("counters").path("activities").asLong()).isEqualTo(1);
    }

    @Test
    void servesThePageAndTheOneSkeletonDefinition() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(dashboard.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"static/dashboard.js\">");
        JsonNode skeleton = get("api/skeleton");
        assertThat(skeleton.path("limbs")).hasSize(io.posestream.schemas.CocoKeypoints.LIMBS.size());
        assertThat(skeleton.path("limbs").get(0).get(0).asInt())
                .isEqualTo(io.posestream.schemas.CocoKeypoints.LIMBS.get(0).get(0));
        assertThat(skeleton.path("keypointScoreThreshold").asDouble()).isEqualTo(0.3);
        HttpResponse<String> missing = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(dashboard.url().resolve("nope")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(dashboard.url() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; figures " + dashboard.figures()
                        + ", counters " + dashboard.counters());
            }
            Thread.sleep(50);
        }
    }
}
