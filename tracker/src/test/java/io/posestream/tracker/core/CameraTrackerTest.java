package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CameraTrackerTest {

    @Test
    void duplicatesAndOutOfOrderFramesAreDroppedAndCounted() {
        CameraTracker camera = new CameraTracker(TrackerConfig.DEFAULTS);
        assertThat(camera.accept(5, 200, true, List.of(Poses.person(100, 600)))).isPresent();
        assertThat(camera.accept(5, 200, true, List.of(Poses.person(100, 600)))).isEmpty();
        assertThat(camera.accept(3, 120, true, List.of(Poses.person(300, 600)))).isEmpty();
        assertThat(camera.droppedFrames()).isEqualTo(2);
        assertThat(camera.tracker().tracks()).hasSize(1);
        assertThat(camera.accept(6, 240, true, List.of(Poses.person(100, 600)))).isPresent();
    }

    @Test
    void skippedFramesAdvanceLostTimersByCaptureTime() {
        CameraTracker camera = new CameraTracker(TrackerConfig.DEFAULTS);
        long seq = 0;
        for (; seq < 5; seq++) {
            camera.accept(seq, seq * 40, true, List.of(Poses.person(100, 600)));
        }
        camera.accept(seq++, 200, true, List.of()); // missed: the confirmed track is lost
        assertThat(camera.tracker().tracks())
                .singleElement()
                .extracting(Track::phase)
                .isEqualTo(TrackPhase.LOST);
        // Frames skipped upstream (stale) carry capture time only; past the lost window the lost track is gone.
        long window = TrackerConfig.DEFAULTS.maxLostMs();
        Optional<List<TrackedPose>> skipped = camera.accept(seq++, 160 + window + 1, false, List.of());
        // The skipped frame's result carries the removal, once, at the last matched pose.
        assertThat(skipped.orElseThrow()).singleElement().satisfies(removed -> {
            assertThat(removed.trackId()).isEqualTo(1L);
            assertThat(removed.phase()).isEqualTo(TrackPhase.REMOVED);
            assertThat(removed.pose()).isEqualTo(Poses.person(100, 600));
        });
        assertThat(camera.tracker().tracks()).isEmpty();
        // Reported once: the next skipped frame has nothing.
        assertThat(camera.accept(seq++, 160 + window + 100, false, List.of())).contains(List.of());
        assertThat(camera.skippedFrames()).isEqualTo(2);
        // The person is back: a new id.
        List<TrackedPose> out = camera.accept(seq, 160 + window + 200, true, List.of(Poses.person(100, 600)))
                .orElseThrow();
        assertThat(out).singleElement().extracting(TrackedPose::trackId).isEqualTo(2L);
    }

    @Test
    void aCameraClockGoingBackDoesNotRewindTimers() {
        CameraTracker camera = new CameraTracker(TrackerConfig.DEFAULTS);
        camera.accept(1, 10_000, true, List.of());
        camera.accept(2, 5_000, true, List.of());
        assertThat(camera.lastTimeMs()).isEqualTo(10_000);
    }
}
