package io.posestream.analytics.engine;

import static io.posestream.analytics.engine.ActivityType.DWELL;
import static io.posestream.analytics.engine.ActivityType.FALL;
import static io.posestream.analytics.engine.ActivityType.HANDS_RAISED;
import static io.posestream.analytics.engine.ActivityType.LINE_CROSSED;
import static io.posestream.analytics.engine.ActivityType.ZONE_CLEARED;
import static io.posestream.analytics.engine.ActivityType.ZONE_ENTER;
import static io.posestream.analytics.engine.ActivityType.ZONE_EXIT;
import static io.posestream.analytics.engine.ActivityType.ZONE_OVERCROWDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.analytics.rules.CameraRules;
import io.posestream.analytics.rules.RulesFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule engine on hand-made tracks, 10 frames per second. */
class CameraAnalyticsTest {
    /** A zone x 200..400, y 200..400 (pixels), more than 1 is a crowd, 2 s dwell; a vertical line at x = 600. */
    static final CameraRules RULES = RulesFile.parse("""
                    cameras: [cam]
                    rules:
                      - {name: square, camera: cam, type: zone, polygon: [[200,200],[400,200],[400,400],[200,400]],
                         overcrowding: 1, dwell-seconds: 2}
                      - {name: gate, camera: cam, type: line, line: [[600, 0], [600, 576]]}
                      - {name: falls, camera: cam, type: fall}
                      - {name: hands, camera: cam, type: hands-raised}
                    """, "test").forCamera("cam");

    private final CameraAnalytics analytics = new CameraAnalytics();
    private long seq;
    private final List<FrameOutcome> outcomes = new ArrayList<>();

    private FrameOutcome frame(TrackedBody... bodies) {
        List<TrackedBody> list = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            list.add(Bodies.at(i, bodies[i]));
        }
        FrameOutcome outcome = analytics.accept(new FrameView(seq, 1000 + 100 * seq, 768, 576, true, list), RULES);
        seq++;
        outcomes.add(outcome);
        return outcome;
    }

    private List<Activity> all(ActivityType type) {
        return outcomes.stream()
                .flatMap(o -> o.activities().stream())
                .filter(a -> a.type() == type)
                .toList();
    }

    @Test
    void zoneCountsEnterExitAndOvercrowding() {
        FrameOutcome first = frame(Bodies.standing(1, 100, 300), Bodies.standing(2, 100, 350));
        assertThat(first.counts()).containsExactly(new ZoneOccupancy("square", 0, false));
        assertThat(first.activities()).isEmpty();

        FrameOutcome entered = frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 100, 350));
        assertThat(entered.activities()).containsExactly(new Activity(ZONE_ENTER, "square", 1L, 0, 1, null, null));
        assertThat(entered.counts()).containsExactly(new ZoneOccupancy("square", 1, false));

        FrameOutcome crowded = frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 250, 350));
        assertThat(crowded.activities())
                .containsExactly(
                        new Activity(ZONE_ENTER, "square", 2L, 1, 2, null, null),
                        new Activity(ZONE_OVERCROWDED, "square", null, -1, 2, null, null));
        assertThat(crowded.counts()).containsExactly(new ZoneOccupancy("square", 2, true));

        assertThat(frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 250, 350))
                        .isEmpty())
                .isTrue();

        FrameOutcome left = frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 500, 350));
        assertThat(left.activities())
                .containsExactly(
                        new Activity(ZONE_EXIT, "square", 2L, 1, 1, null, null),
                        new Activity(ZONE_CLEARED, "square", null, -1, 1, null, null));
        assertThat(left.counts()).containsExactly(new ZoneOccupancy("square", 1, false));
    }

    @Test
    void onlyConfirmedTracksCountAndLostOnesKeepTheirPlaceUntilRemoved() {
        frame(Bodies.standing(1, 300, 300, TrackPhase.TENTATIVE));
        assertThat(all(ZONE_ENTER)).isEmpty();
        frame(Bodies.standing(1, 300, 300));
        assertThat(all(ZONE_ENTER)).hasSize(1);
        // LOST: its predicted box is not trusted, it stays inside.
        assertThat(frame(Bodies.standing(1, 500, 300, TrackPhase.LOST)).isEmpty())
                .isTrue();
        FrameOutcome removed = frame(Bodies.standing(1, 300, 300, TrackPhase.REMOVED));
        assertThat(removed.activities()).containsExactly(new Activity(ZONE_EXIT, "square", 1L, -1, 0, null, null));
        assertThat(analytics.trackCount()).isZero();
    }

    @Test
    void aTrackNoLongerReportedLeavesItsZones() {
        frame(Bodies.standing(1, 300, 300));
        FrameOutcome gone = frame();
        assertThat(gone.activities()).containsExactly(new Activity(ZONE_EXIT, "square", 1L, -1, 0, null, null));
        assertThat(gone.counts()).containsExactly(new ZoneOccupancy("square", 0, false));
    }

    @Test
    void dwellIsRaisedOncePerStayAfterTheDwellTime() {
        for (int i = 0; i < 30; i++) {
            frame(Bodies.standing(1, 300, 300));
        }
        // Entered at frame 0 (t = 1000), dwell of 2 s reached at frame 20.
        assertThat(all(DWELL)).containsExactly(new Activity(DWELL, "square", 1L, 0, 1, null, 2000L));
        frame(Bodies.standing(1, 100, 300));
        for (int i = 0; i < 21; i++) {
            frame(Bodies.standing(1, 300, 300));
        }
        assertThat(all(DWELL)).hasSize(2);
    }

    @Test
    void lineCrossingsCountBothWaysWithDirection() {
        // Walking right across x = 600 (line drawn downwards: its positive side is x < 600), then back.
        for (int x = 500; x <= 700; x += 10) {
            frame(Bodies.standing(1, x, 500));
        }
        for (int x = 700; x >= 500; x -= 10) {
            frame(Bodies.standing(1, x, 500));
        }
        assertThat(all(LINE_CROSSED)).extracting(Activity::direction).containsExactly(-1, 1);
    }

    @Test
    void jitterOnTheLineIsNotACrossingButGoingRoundItsEndIsNone() {
        frame(Bodies.standing(2, 580, 300));
        for (int i = 0; i < 20; i++) {
            frame(Bodies.standing(2, 600 + (i % 2 == 0 ? 4 : -4), 300));
        }
        frame(Bodies.standing(2, 580, 300));
        assertThat(all(LINE_CROSSED)).isEmpty();
        // A line that stops short: walking below its end changes side without crossing it.
        CameraRules shortLine = RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: short, camera: c, type: line, line: [[600, 0], [600, 200]]}\n",
                        "t")
                .forCamera("c");
        CameraAnalytics other = new CameraAnalytics();
        List<Activity> seen = new ArrayList<>();
        for (int x = 500; x <= 700; x += 10) {
            seen.addAll(other.accept(
                            new FrameView(x, x, 768, 576, true, List.of(Bodies.standing(3, x, 500))), shortLine)
                    .activities());
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void groundPointIsTheAnkleMidpointElseTheBoxBottomCentre() {
        TrackedBody standing = Bodies.standing(1, 300, 400);
        assertThat(standing.groundPoint()).containsExactly(300, 400);
        TrackedBody hidden = Bodies.withoutAnkles(standing);
        assertThat(hidden.groundPoint()[0]).isEqualTo((hidden.x1() + hidden.x2()) / 2.0);
        assertThat(hidden.groundPoint()[1]).isEqualTo(hidden.y2());
    }

    @Test
    void aFallIsReportedOnceAfterThePersonStaysDown() {
        for (int i = 0; i < 10; i++) {
            frame(Bodies.standing(1, 100, 500));
        }
        // Upright to lying from one frame to the next, hips dropping from 448 to 490: down from frame 10.
        for (int i = 0; i < 30; i++) {
            frame(Bodies.lying(1, 100, 490));
        }
        assertThat(all(FALL)).hasSize(1);
        Activity fall = all(FALL).get(0);
        assertThat(fall.trackId()).isEqualTo(1L);
        assertThat(fall.durationMs()).isEqualTo(1000L);
        // Reported 1 s after the person was down.
        assertThat(outcomes.indexOf(outcomes.stream()
                        .filter(o -> o.activities().contains(fall))
                        .findFirst()
                        .orElseThrow()))
                .isEqualTo(20);
    }

    @Test
    void aFallThatBreaksTheTrackIsReportedOnTheTrackOfTheBodyOnTheGround() {
        for (int i = 0; i < 10; i++) {
            frame(Bodies.standing(1, 100, 500));
        }
        // The tracker loses the falling person (LOST) and starts a new track on the body lying where it stood.
        for (int i = 0; i < 12; i++) {
            frame(Bodies.standing(1, 100, 500, TrackPhase.LOST), Bodies.lying(2, 100, 490));
        }
        assertThat(all(FALL)).extracting(Activity::trackId).containsExactly(2L);
        // Lying elsewhere, away from anyone who stood: no fall.
        for (int i = 0; i < 12; i++) {
            frame(Bodies.standing(1, 100, 500, TrackPhase.LOST), Bodies.lying(2, 100, 490), Bodies.lying(3, 600, 200));
        }
        assertThat(all(FALL)).hasSize(1);
    }

    @Test
    void lyingDownSlowlyOrWalkingIsNoFall() {
        for (int x = 0; x < 300; x += 5) {
            frame(Bodies.standing(1, 100 + x, 500));
        }
        // Already lying when first seen: no upright pose before, so no fall (someone resting, not falling).
        for (int i = 0; i < 30; i++) {
            frame(Bodies.lying(2, 50, 100));
        }
        assertThat(all(FALL)).isEmpty();
        // Upright, then lying 2 s later (torso unseen in between): too slow for a fall.
        frame(Bodies.standing(3, 100, 300));
        for (int i = 0; i < 20; i++) {
            frame(Bodies.withoutTorso(Bodies.standing(3, 100, 300)));
        }
        for (int i = 0; i < 30; i++) {
            frame(Bodies.lying(3, 100, 340));
        }
        assertThat(all(FALL)).isEmpty();
    }

    @Test
    void raisedHandsAreReportedWhenTheyGoUp() {
        frame(Bodies.standing(1, 100, 500));
        frame(Bodies.handsUp(1, 100, 500));
        frame(Bodies.handsUp(1, 100, 500));
        frame(Bodies.standing(1, 100, 500));
        frame(Bodies.handsUp(1, 100, 500));
        assertThat(all(HANDS_RAISED)).hasSize(2).allMatch(a -> a.rule().equals("hands") && a.trackId() == 1L);
    }

    @Test
    void framesTheTrackerDidNotAdvanceOnChangeNothing() {
        frame(Bodies.standing(1, 300, 300));
        FrameOutcome skipped = analytics.accept(new FrameView(99, 99_000, 768, 576, false, List.of()), RULES);
        assertThat(skipped.isEmpty()).isTrue();
        assertThat(analytics.trackCount()).isEqualTo(1);
    }

    @Test
    void stateSurvivesTheCodecMidStream() {
        frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 590, 500));
        frame(Bodies.standing(1, 300, 300), Bodies.standing(2, 580, 500));
        CameraAnalytics restored = CameraAnalyticsCodec.decode(CameraAnalyticsCodec.encode(analytics));
        List<TrackedBody> next = List.of(Bodies.standing(1, 100, 300), Bodies.at(1, Bodies.standing(2, 620, 500)));
        FrameView view = new FrameView(5, 1500, 768, 576, true, next);
        FrameOutcome expected = analytics.accept(view, RULES);
        assertThat(restored.accept(view, RULES)).isEqualTo(expected);
        assertThat(expected.activities()).extracting(Activity::type).containsExactly(ZONE_EXIT, LINE_CROSSED);
        assertThat(CameraAnalyticsCodec.encode(restored)).isEqualTo(CameraAnalyticsCodec.encode(analytics));
    }

    @Test
    void stateBytesKeepDataOutputStreamsLayout() throws IOException {
        // States stored by earlier releases (written with DataOutputStream) must read back, and new ones alike.
        CameraAnalytics state = new CameraAnalytics();
        for (String name : List.of("square", "Straße", "入口", "a\u0000b")) {
            state.zones.put(name, new ZoneMemory(name.length(), name.length() % 2 == 0));
        }
        TrackMemory track = new TrackMemory();
        track.zonesEntered.put("Straße", 1234L);
        track.zonesEntered.put("入口", 99L);
        track.dwellReported.add("入口");
        track.lineSides.put("gate ✓", new TrackMemory.LineSide(-1, 12.5, -3.25));
        track.uprightMs = 777;
        track.uprightHipY = 1.5;
        track.downSinceMs = -1;
        track.handsUp = true;
        state.tracks.put(42L, track);
        state.tracks.put(43L, new TrackMemory());

        byte[] encoded = CameraAnalyticsCodec.encode(state);
        assertThat(encoded).isEqualTo(dataOutputLayout(state));
        assertThat(CameraAnalyticsCodec.encode(CameraAnalyticsCodec.decode(encoded)))
                .isEqualTo(encoded);
    }

    @Test
    void stateLargerThanTheEncodersBufferKeepsItsLayout() throws IOException {
        // A crowded camera: its state outgrows the encoder's first buffer, which must grow, not cut it short.
        CameraAnalytics state = new CameraAnalytics();
        for (long id = 0; id < 400; id++) {
            TrackMemory track = new TrackMemory();
            track.zonesEntered.put("zone-" + id % 7, id);
            track.lineSides.put("line", new TrackMemory.LineSide(1, id, -id));
            track.uprightMs = id;
            state.tracks.put(id, track);
        }
        byte[] encoded = CameraAnalyticsCodec.encode(state);
        assertThat(encoded.length).isGreaterThan(16 * 1024);
        assertThat(encoded).isEqualTo(dataOutputLayout(state));
        // And a small state after it is no longer than itself.
        CameraAnalytics small = new CameraAnalytics();
        small.tracks.put(1L, new TrackMemory());
        assertThat(CameraAnalyticsCodec.encode(small)).isEqualTo(dataOutputLayout(small));
    }

    /** The layout as the first release wrote it. */
    private static byte[] dataOutputLayout(CameraAnalytics state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeInt(state.zones.size());
        for (var zone : state.zones.entrySet()) {
            out.writeUTF(zone.getKey());
            out.writeInt(zone.getValue().count);
            out.writeBoolean(zone.getValue().overcrowded);
        }
        out.writeInt(state.tracks.size());
        for (var entry : state.tracks.entrySet()) {
            TrackMemory t = entry.getValue();
            out.writeLong(entry.getKey());
            out.writeInt(t.zonesEntered.size());
            for (var zone : t.zonesEntered.entrySet()) {
                out.writeUTF(zone.getKey());
                out.writeLong(zone.getValue());
                out.writeBoolean(t.dwellReported.contains(zone.getKey()));
            }
            out.writeInt(t.lineSides.size());
            for (var line : t.lineSides.entrySet()) {
                out.writeUTF(line.getKey());
                out.writeByte(line.getValue().side());
                out.writeDouble(line.getValue().x());
                out.writeDouble(line.getValue().y());
            }
            out.writeLong(t.uprightMs);
            out.writeDouble(t.uprightHipY);
            out.writeDouble(t.uprightHeight);
            out.writeDouble(t.uprightX1);
            out.writeDouble(t.uprightX2);
            out.writeLong(t.downSinceMs);
            out.writeBoolean(t.fallReported);
            out.writeBoolean(t.handsUp);
        }
        out.flush();
        return bytes.toByteArray();
    }
}
