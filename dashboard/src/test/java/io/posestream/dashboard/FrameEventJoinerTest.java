package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameEventJoinerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final List<String> outcomes = new ArrayList<>();
    private final FrameEventJoiner joiner =
            new FrameEventJoiner(Duration.ofMillis(1000), 4, new FrameEventJoiner.Listener() {
                @Override
                public void joined(Frame frame, PoseEvent event) {
                    outcomes.add("joined " + frame.getCameraId() + "/" + frame.getSeq());
                }

                @Override
                public void frameWithoutEvent(Frame frame, String reason) {
                    outcomes.add("frame alone " + frame.getCameraId() + "/" + frame.getSeq() + ": " + reason);
                }

                @Override
                public void eventWithoutFrame(PoseEvent event, String reason) {
                    outcomes.add("event alone " + event.getCameraId() + "/" + event.getSeq() + ": " + reason);
                }
            });

    private static Frame frame(String camera, long seq) {
        return TestScenes.frame(camera, seq, T0.plusMillis(100 * seq));
    }

    private static PoseEvent event(String camera, long seq) {
        return TestScenes.event(camera, seq, T0.plusMillis(100 * seq), List.of());
    }

    @Test
    void joinsByCameraAndSeqWhicheverArrivesFirst() {
        joiner.onFrame(frame("a", 0), 0);
        joiner.onFrame(frame("b", 0), 0);
        joiner.onEvent(event("b", 0), 10);
        joiner.onEvent(event("a", 0), 10);
        joiner.onFrame(frame("a", 1), 20);
        joiner.onEvent(event("a", 1), 30);
        // An event may overtake its frame (two topics): it waits for it.
        joiner.onEvent(event("a", 2), 30);
        joiner.onFrame(frame("a", 2), 40);

        assertThat(outcomes).containsExactly("joined b/0", "joined a/0", "joined a/1", "joined a/2");
        assertThat(joiner.pending()).isZero();
    }

    @Test
    void frameWithoutEventIsReleasedAfterTheTimeoutOrWhenALaterEventArrives() {
        joiner.onFrame(frame("a", 0), 0);
        joiner.onFrame(frame("a", 1), 100);
        joiner.onFrame(frame("a", 2), 200);
        joiner.expire(999);
        assertThat(outcomes).isEmpty();
        joiner.expire(1000);
        assertThat(outcomes).containsExactly("frame alone a/0: no event within 1000 ms");

        // Events are in seq order per camera: the event of frame 2 means frame 1 gets none.
        joiner.onEvent(event("a", 2), 1050);
        assertThat(outcomes)
                .containsExactly(
                        "frame alone a/0: no event within 1000 ms",
                        "frame alone a/1: no event (the event of a later frame arrived first)",
                        "joined a/2");
    }

    @Test
    void eventForAFrameNeverSeenIsCounted() {
        joiner.onFrame(frame("a", 5), 0);
        joiner.onEvent(event("a", 5), 0);
        // Frame 6 never arrives; its event waits, then frame 7 proves it never will.
        joiner.onEvent(event("a", 6), 10);
        joiner.onFrame(frame("a", 7), 20);
        joiner.onEvent(event("a", 7), 30);
        // An event for a camera whose frames never come waits out the timeout.
        joiner.onEvent(event("ghost", 3), 40);
        joiner.expire(1040);

        assertThat(outcomes)
                .containsExactly(
                        "joined a/5",
                        "event alone a/6: frame never seen (a later frame arrived first)",
                        "joined a/7",
                        "event alone ghost/3: no frame within 1000 ms");
    }

    @Test
    void eventsOfFramesBeforeTheFirstFrameSeenAreHistoryNotErrors() {
        // The dashboard starts reading mid-stream: events of frames it skipped are ignored quietly.
        joiner.onEvent(event("a", 8), 0);
        joiner.onFrame(frame("a", 10), 0);
        joiner.onEvent(event("a", 9), 10);
        joiner.onEvent(event("a", 10), 20);

        assertThat(outcomes).containsExactly("joined a/10");
    }

    @Test
    void sameSeqWithADifferentCaptureTimeIsNotAMatch() {
        joiner.onFrame(frame("a", 0), 0);
        PoseEvent fromAnotherRun = TestScenes.event("a", 0, T0.minusSeconds(60), List.of());
        joiner.onEvent(fromAnotherRun, 10);
        joiner.onEvent(event("a", 0), 20);

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).startsWith("event alone a/0: frame 0 has a different capture time");
        assertThat(outcomes.get(1)).isEqualTo("joined a/0");
    }

    @Test
    void theBufferPerCameraIsBounded() {
        for (long seq = 0; seq < 6; seq++) {
            joiner.onFrame(frame("a", seq), seq);
        }
        joiner.onFrame(frame("b", 0), 6);

        assertThat(outcomes)
                .containsExactly(
                        "frame alone a/0: join buffer full (4 frames waiting)",
                        "frame alone a/1: join buffer full (4 frames waiting)");
        assertThat(joiner.pending()).isEqualTo(5);
    }

    @Test
    void aRestartedSequenceFlushesTheCamera() {
        joiner.onFrame(frame("a", 40), 0);
        joiner.onFrame(frame("a", 41), 0);
        joiner.onEvent(event("a", 40), 0);
        // Ingest restarted: seq 0 again (new capture times).
        joiner.onFrame(TestScenes.frame("a", 0, T0.plusSeconds(100)), 10);
        joiner.onEvent(TestScenes.event("a", 0, T0.plusSeconds(100), List.of()), 20);

        assertThat(outcomes)
                .containsExactly(
                        "joined a/40", "frame alone a/41: camera restarted its sequence at 0 after 41", "joined a/0");
    }
}
