package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The board between the reader and the browsers: join outcomes, figures, stale marks and skipped records. */
class LiveBoardTest {
    private static final TopicPartition FRAMES = new TopicPartition("posestream.frames", 0);
    private static final TopicPartition EVENTS = new TopicPartition("posestream.pose-events", 0);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong now = new AtomicLong(T0.toEpochMilli());
    private final EventHub hub = new EventHub();
    private final ConflatingChannel browser = hub.connect();
    private final LiveBoard board = new LiveBoard(
            new DashboardConfig(Map.of(
                    "bootstrap.servers",
                    "127.0.0.1:1",
                    "schema.registry.url",
                    "http://127.0.0.1:1",
                    DashboardConfig.STALE_AFTER_MS,
                    "3000",
                    DashboardConfig.JOIN_TIMEOUT_MS,
                    "1000",
                    DashboardConfig.FIGURES_WINDOW_MS,
                    "5000")),
            hub,
            now::get);

    private long offset;

    private void frame(String camera, long seq) {
        board.onFrame(TestScenes.frame(camera, seq, T0.plusMillis(100 * seq)), FRAMES, offset++);
    }

    private void event(String camera, long seq, TrackedPerson... persons) {
        board.onEvent(TestScenes.event(camera, seq, T0.plusMillis(100 * seq), List.of(persons)), EVENTS, offset++);
    }

    private static TrackedPerson person(long trackId, TrackState state) {
        return TestScenes.tracked(trackId, state, TestScenes.standing(200, 100, 300));
    }

    /** The SSE events waiting for the browser, parsed: [event name, JSON]. */
    private List<Map.Entry<String, JsonNode>> received() throws Exception {
        List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
        for (byte[] message : browser.take(0)) {
            String text = new String(message, StandardCharsets.UTF_8);
            String name = text.substring("event: ".length(), text.indexOf('\n'));
            String data =
                    text.substring(text.indexOf("data: ") + "data: ".length()).trim();
            events.add(Map.entry(name, TileMessages.JSON.readTree(data)));
        }
        return events;
    }

    private static JsonNode only(List<Map.Entry<String, JsonNode>> events, String name) {
        List<JsonNode> matching = events.stream()
                .filter(e -> e.getKey().equals(name))
                .map(Map.Entry::getValue)
                .toList();
        assertThat(matching).as("%s events", name).hasSize(1);
        return matching.get(0);
    }

    @Test
    void aJoinedFrameBecomesATileWithItsTrackedPersons() throws Exception {
        frame("cam", 0);
        now.addAndGet(250); // the pipeline took 250 ms after capture
        event(
                "cam",
                0,
                person(3, TrackState.CONFIRMED),
                person(4, TrackState.TENTATIVE),
                person(9, TrackState.LOST),
                person(7, TrackState.REMOVED));

        JsonNode tile = only(received(), "tile");
        assertThat(tile.path("camera").asText()).isEqualTo("cam");
        assertThat(tile.path("seq").asLong()).isZero();
        assertThat(tile.path("posed").asBoolean()).isTrue();
        assertThat(tile.path("image").asText()).startsWith("data:image/jpeg;base64,");
        assertThat(Base64.getDecoder()
                        .decode(tile.path("image").asText().substring("data:image/jpeg;base64,".length())))
                .isEqualTo(TestScenes.frame("cam", 0, T0).getImage().array());
        assertThat(tile.path("persons")).hasSize(4);
        assertThat(tile.path("persons").get(3).path("state").asText()).isEqualTo("REMOVED");
        assertThat(tile.path("persons").get(0).path("trackId").asLong()).isEqualTo(3);
        assertThat(tile.path("persons").get(2).path("state").asText()).isEqualTo("LOST");
        assertThat(tile.path("persons").get(0).path("keypoints")).hasSize(17);
        assertThat(tile.path("persons").get(0).path("keypoints").get(0).get(0).floatValue())
                .isEqualTo(200f);
        // Persons excludes LOST and REMOVED tracks; latency runs from capture to the event's arrival.
        assertThat(tile.path("figures").path("persons").asInt()).isEqualTo(2);
        assertThat(tile.path("figures").path("latencyP50Ms").asDouble()).isEqualTo(250);
        board.tick(partition -> 0);
        assertThat(board.counters().joined()).isEqualTo(1);
    }

    @Test
    void figuresCountFramesAndPosedEventsPerSecond() throws Exception {
        for (long seq = 0; seq < 21; seq++) {
            now.addAndGet(seq == 0 ? 0 : 100);
            frame("cam", seq);
            if (seq % 2 == 0) {
                event("cam", seq, person(1, TrackState.CONFIRMED));
            }
        }
        board.tick(partition -> partition.equals(FRAMES) ? 3 : 2);

        CameraFigures figures = board.figures().get("cam");
        assertThat(figures.fpsIn()).isEqualTo(10.0);
        assertThat(figures.fpsPosed()).isEqualTo(5.0);
        assertThat(figures.lag()).isEqualTo(5);
        assertThat(figures.persons()).isEqualTo(1);
        assertThat(figures.stale()).isFalse();
        assertThat(figures.shownSeq()).isEqualTo(20);
    }

    @Test
    void aSilentCameraIsMarkedStaleAndComesBack() throws Exception {
        frame("quiet", 0);
        event("quiet", 0);
        frame("busy", 0);
        event("busy", 0);
        board.tick(partition -> 0);
        received();

        for (long seq = 1; seq <= 40; seq++) {
            now.addAndGet(100);
            frame("busy", seq);
            event("busy", seq);
            board.tick(partition -> 0);
        }
        List<Map.Entry<String, JsonNode>> events = received();
        JsonNode quiet = events.stream()
                .filter(e -> e.getKey().equals("figures")
                        && e.getValue().path("cameraId").asText().equals("quiet"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow();
        assertThat(quiet.path("stale").asBoolean()).isTrue();
        assertThat(quiet.path("silentMs").asLong()).isEqualTo(4000);
        assertThat(board.figures().get("busy").stale()).isFalse();

        frame("quiet", 1);
        board.tick(partition -> 0);
        assertThat(board.figures().get("quiet").stale()).isFalse();
    }

    @Test
    void unmatchedAndMalformedRecordsAreCountedAndTheRestKeepsGoing() throws Exception {
        frame("cam", 0);
        event("cam", 0, person(1, TrackState.CONFIRMED));
        // A frame with no event: after the timeout it is counted and still shown, without skeletons.
        frame("cam", 1);
        // An event whose frame never came.
        event("cam", 3, person(1, TrackState.CONFIRMED));
        frame("cam", 4);
        // Malformed: a person with 5 keypoints, a frame with no image, an undecodable record.
        TrackedPerson broken = person(2, TrackState.CONFIRMED);
        broken.setKeypoints(new ArrayList<>(broken.getKeypoints().subList(0, 5)));
        board.onEvent(TestScenes.event("cam", 4, T0.plusMillis(400), List.of(broken)), EVENTS, 77);
        Frame empty = TestScenes.frame("cam", 5, T0.plusMillis(500));
        empty.setImage(ByteBuffer.allocate(0));
        board.onFrame(empty, FRAMES, 78);
        board.onUnreadable(FRAMES, 79, "cam", LiveBoard.Source.FRAMES, "Unknown magic byte 0x7b");
        // The next good pair still joins and shows.
        frame("cam", 6);
        event("cam", 6, person(1, TrackState.CONFIRMED), person(2, TrackState.CONFIRMED));
        now.addAndGet(1000);
        board.tick(partition -> 0);

        SkipCounters counters = board.counters();
        assertThat(counters.malformedEvents()).isEqualTo(1);
        assertThat(counters.malformedFrames()).isEqualTo(2);
        assertThat(counters.eventsWithoutFrame()).isEqualTo(1);
        // Frame 1 (event of frame 3 came first) and frame 4 (its only event was malformed).
        assertThat(counters.framesWithoutEvent()).isEqualTo(2);
        assertThat(counters.joined()).isEqualTo(2);
        assertThat(board.figures().get("cam").shownSeq()).isEqualTo(6);

        List<Map.Entry<String, JsonNode>> events = received();
        JsonNode tile = only(events, "tile");
        assertThat(tile.path("seq").asLong()).isEqualTo(6);
        assertThat(tile.path("persons")).hasSize(2);
        JsonNode shownCounters = only(events, "counters");
        assertThat(shownCounters.path("malformedFrames").asLong()).isEqualTo(2);
        assertThat(shownCounters.path("lastSkipReason").asText())
                .isEqualTo("posestream.frames-0@79 (camera cam): Unknown magic byte 0x7b");
    }

    @Test
    void camerasAndPersonsBeyondTheLimitsAreSkippedNamingTheSetting() {
        LiveBoard small = new LiveBoard(
                new DashboardConfig(Map.of(
                        "bootstrap.servers",
                        "127.0.0.1:1",
                        "schema.registry.url",
                        "http://127.0.0.1:1",
                        DashboardConfig.MAX_CAMERAS,
                        "2",
                        DashboardConfig.MAX_PERSONS,
                        "1")),
                hub,
                now::get);
        small.onFrame(TestScenes.frame("a", 1, T0), FRAMES, 1);
        small.onFrame(TestScenes.frame("b", 1, T0), FRAMES, 2);
        small.onFrame(TestScenes.frame("c", 1, T0), FRAMES, 3);
        small.onEvent(
                TestScenes.event("a", 1, T0, List.of(person(1, TrackState.CONFIRMED), person(2, TrackState.CONFIRMED))),
                EVENTS,
                4);
        small.tick(partition -> 0);
        assertThat(small.figures()).containsOnlyKeys("a", "b");
        assertThat(small.counters().malformedFrames()).isEqualTo(1);
        assertThat(small.counters().malformedEvents()).isEqualTo(1);
        assertThat(small.counters().lastSkipReason())
                .isEqualTo("posestream.pose-events-0@4 (camera a): 2 persons, more than dashboard.max.persons (1)");
        small.onFrame(TestScenes.frame("c", 2, T0), FRAMES, 5);
        small.tick(partition -> 0);
        assertThat(small.counters().lastSkipReason())
                .isEqualTo("posestream.frames-0@5 (camera c): a new camera while 2 are shown (dashboard.max.cameras)");
    }

    @Test
    void invalidRecordsNameWhatIsWrong() {
        TrackedPerson broken = person(2, TrackState.CONFIRMED);
        broken.setKeypoints(new ArrayList<Keypoint>(broken.getKeypoints().subList(0, 16)));
        PoseEvent event = TestScenes.event("cam", 1, T0, List.of(person(1, TrackState.CONFIRMED), broken));
        assertThat(LiveBoard.problemWith(event))
                .isEqualTo("person 1 (track 2) has 16 keypoints, expected 17 (COCO order)");
        Frame frame = TestScenes.frame("cam", 1, T0);
        frame.setWidth(0);
        assertThat(LiveBoard.problemWith(frame)).isEqualTo("image size 0x480 is not positive");
        assertThat(LiveBoard.problemWith(TestScenes.frame(" ", 1, T0))).isEqualTo("empty cameraId");
    }

    @Test
    void aRestartedSequenceShowsTheNewRunEvenWhenOldFramesWereStillWaiting() throws Exception {
        frame("cam", 40);
        event("cam", 40);
        frame("cam", 41); // still waiting for its event when ingest restarts
        received();
        // Ingest restarted: seq 0 again, new capture times. Frame 41 is flushed (shown without poses)...
        Instant restart = T0.plusSeconds(100);
        board.onFrame(TestScenes.frame("cam", 0, restart), FRAMES, offset++);
        board.onEvent(TestScenes.event("cam", 0, restart, List.of(person(1, TrackState.CONFIRMED))), EVENTS, offset++);
        board.tick(partition -> 0);

        // ...and the new run's frame 0 still takes the tile.
        assertThat(board.figures().get("cam").shownSeq()).isZero();
        List<JsonNode> tiles = received().stream()
                .filter(e -> e.getKey().equals("tile"))
                .map(Map.Entry::getValue)
                .toList();
        assertThat(tiles).hasSize(1);
        assertThat(tiles.get(0).path("seq").asLong()).isZero();
        assertThat(tiles.get(0).path("persons")).hasSize(1);
        assertThat(board.counters().framesWithoutEvent()).isEqualTo(1);
    }

    @Test
    void aTileNeverGoesBackToAnOlderFrame() throws Exception {
        frame("cam", 0);
        frame("cam", 1);
        event("cam", 1, person(1, TrackState.CONFIRMED));
        received();
        // Frame 0's event came late: frame 0 was already released (no event), and is older than the tile anyway.
        event("cam", 0, person(1, TrackState.CONFIRMED));
        now.addAndGet(2000);
        board.tick(partition -> 0);

        assertThat(received()).noneMatch(e -> e.getKey().equals("tile"));
        assertThat(board.figures().get("cam").shownSeq()).isEqualTo(1);
        assertThat(board.counters().eventsWithoutFrame()).isEqualTo(1);
    }

    /** The seqs of the tiles the browser received since the last look. */
    private List<Long> tileSeqs() throws Exception {
        return received().stream()
                .filter(e -> e.getKey().equals("tile"))
                .map(e -> e.getValue().path("seq").asLong())
                .toList();
    }

    /** The event of a frame the worker skipped: no persons, but a REMOVED track as the tracker reports them. */
    private void skipped(String camera, long seq) {
        PoseEvent event =
                TestScenes.event(camera, seq, T0.plusMillis(100 * seq), List.of(person(9, TrackState.REMOVED)));
        event.setFrameStatus(FrameStatus.SKIPPED_STALE);
        board.onEvent(event, EVENTS, offset++);
    }

    @Test
    void aSkippedFrameReplacesThePosedOneOnTheTileOnlyAfterTheHold() throws Exception {
        frame("cam", 0);
        event("cam", 0, person(1, TrackState.CONFIRMED), person(2, TrackState.CONFIRMED));
        // Skipped frames up to 1.9 s later keep the posed frame and its skeletons on the tile.
        for (long seq = 1; seq < 20; seq++) {
            frame("cam", seq);
            skipped("cam", seq);
        }
        board.tick(partition -> 0);
        assertThat(tileSeqs()).containsExactly(0L);
        CameraFigures held = board.figures().get("cam");
        assertThat(held.shownSeq()).isZero();
        // Persons are those of the posed frame: the skipped ones were not looked at.
        assertThat(held.persons()).isEqualTo(2);
        assertThat(held.fpsIn()).isPositive();

        // 2 s after the posed frame a skipped one shows (a stalled worker stays visible), until the next posed one.
        frame("cam", 20);
        skipped("cam", 20);
        board.tick(partition -> 0);
        assertThat(tileSeqs()).containsExactly(20L);
        frame("cam", 21);
        event("cam", 21, person(1, TrackState.CONFIRMED));
        frame("cam", 22);
        skipped("cam", 22);
        board.tick(partition -> 0);
        assertThat(tileSeqs()).containsExactly(21L);
        assertThat(board.figures().get("cam").persons()).isEqualTo(1);
    }
}
