package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackFiguresTest {
    private static final List<io.posestream.avro.Keypoint> POSE = TestScenes.standing(100, 100, 200);

    private static PoseEvent event(long ms, FrameStatus status, Object... idAndState) {
        List<TrackedPerson> persons = new ArrayList<>();
        for (int i = 0; i < idAndState.length; i += 2) {
            persons.add(TestScenes.tracked((Long) idAndState[i], (TrackState) idAndState[i + 1], POSE));
        }
        return PoseEvent.newBuilder()
                .setCameraId("cam")
                .setSeq(ms)
                .setCaptureTime(Instant.ofEpochMilli(ms))
                .setWidth(640)
                .setHeight(480)
                .setFrameStatus(status)
                .setPersons(persons)
                .build();
    }

    @Test
    void nothingSeenIsUnknown() {
        assertThat(new TrackFigures(60_000).snapshot()).isEqualTo(new TrackFigures.Snapshot(-1, -1, -1));
    }

    @Test
    void sharesLivesAndBirthsFromTheEventsAlone() {
        TrackFigures figures = new TrackFigures(60_000);
        // Track 1: tentative at 0 s, confirmed 0.5..10 s, lost, removed at 13 s: a confirmed life of 10 s.
        figures.observe(event(0, FrameStatus.POSED, 1L, TrackState.TENTATIVE));
        for (long ms = 500; ms <= 10_000; ms += 500) {
            figures.observe(event(ms, FrameStatus.POSED, 1L, TrackState.CONFIRMED, 2L, TrackState.TENTATIVE));
        }
        // Track 2 never confirmed (a passing false positive): it does not count as a life.
        figures.observe(event(10_500, FrameStatus.POSED, 1L, TrackState.LOST, 2L, TrackState.REMOVED));
        // A skipped frame moves time on; its removal still counts.
        figures.observe(event(13_000, FrameStatus.SKIPPED_STALE, 1L, TrackState.REMOVED));
        // Track 3: confirmed for 4 s, removed.
        for (long ms = 14_000; ms <= 18_000; ms += 500) {
            figures.observe(event(ms, FrameStatus.POSED, 3L, TrackState.CONFIRMED));
        }
        figures.observe(event(21_500, FrameStatus.POSED, 3L, TrackState.REMOVED));

        TrackFigures.Snapshot s = figures.snapshot();
        // Observations: track 1 once tentative + 20 confirmed, track 2 20 tentative, track 3 9 confirmed.
        assertThat(s.confirmedShare()).isCloseTo(29.0 / 50, within(1e-9));
        // Lives 10 s and 4 s: the median of two is the lower.
        assertThat(s.medianConfirmedLifeS()).isCloseTo(4.0, within(1e-9));
        // Three births over 21.5 s.
        assertThat(s.birthsPerMinute()).isCloseTo(3 / (21.5 / 60), within(1e-9));
    }

    @Test
    void oldObservationsLeaveTheWindow() {
        TrackFigures figures = new TrackFigures(10_000);
        for (long ms = 0; ms <= 5_000; ms += 500) {
            figures.observe(event(ms, FrameStatus.POSED, 1L, TrackState.TENTATIVE));
        }
        for (long ms = 5_500; ms <= 30_000; ms += 500) {
            figures.observe(event(ms, FrameStatus.POSED, 1L, TrackState.CONFIRMED));
        }
        TrackFigures.Snapshot s = figures.snapshot();
        assertThat(s.confirmedShare()).isEqualTo(1.0);
        assertThat(s.birthsPerMinute()).isZero();
    }
}
