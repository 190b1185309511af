package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackLifecycleTest {
    private static final TrackerConfig THREE_HITS = TrackerConfig.DEFAULTS.withMinHits(3);
    private final TrackLifecycle lifecycle = new TrackLifecycle(THREE_HITS);
    private final Pose pose = Poses.person(100, 600);

    @Test
    void tentativeUntilMinHitsThenConfirmed() {
        Track track = lifecycle.birth(1, pose, 0);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        lifecycle.hit(track, pose, 40);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        lifecycle.hit(track, pose, 80);
        assertThat(track.phase()).isEqualTo(TrackPhase.CONFIRMED);
    }

    /** 25 posed frames a second. */
    private static final double FAST = 40;

    @Test
    void confirmationDoesNotNeedConsecutivePosedFrames() {
        // At two posed frames a second, a detector that misses a person once must not cost them their track.
        Track track = lifecycle.birth(1, pose, 0);
        lifecycle.miss(track, 500, 500);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        lifecycle.hit(track, pose, 1000);
        lifecycle.hit(track, pose, 1500);
        assertThat(track.phase()).isEqualTo(TrackPhase.CONFIRMED);
    }

    @Test
    void aTentativeTrackIsRemovedAtAMissAfterItsWindow() {
        TrackLifecycle patient =
                new TrackLifecycle(THREE_HITS.toBuilder().tentativeMaxMisses(5).build());
        long window = THREE_HITS.tentativeMaxLostMs();
        Track track = patient.birth(1, pose, 0);
        patient.miss(track, window, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        // A long gap between posed frames alone removes nothing: only a miss after the window does.
        patient.expire(track, THREE_HITS.maxLostMs(), FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        patient.miss(track, window + 1, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void aTentativeTrackIsRemovedAfterTooManyMissesInARow() {
        // At 25 posed frames a second, a run of misses is a false positive that will not come back.
        Track track = lifecycle.birth(1, pose, 0);
        lifecycle.miss(track, 40, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        lifecycle.hit(track, pose, 80);
        lifecycle.miss(track, 120, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.TENTATIVE);
        lifecycle.miss(track, 160, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void withoutAWindowATentativeMissIsRemoved() {
        TrackLifecycle strict =
                new TrackLifecycle(THREE_HITS.toBuilder().tentativeMaxMisses(0).build());
        Track track = strict.birth(1, pose, 0);
        strict.miss(track, 40, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void onASlowlyPosedCameraTheWindowsStretchToTheAllowedMisses() {
        // A posed frame every 3 s: a lost track still waits for two of them, a tentative one for one.
        double slow = 3000;
        assertThat(lifecycle.lostWindow(slow)).isEqualTo((THREE_HITS.minLostFrames() + 0.5) * slow);
        assertThat(lifecycle.lostWindow(FAST)).isEqualTo(THREE_HITS.maxLostMs());
        Track lost = confirmed();
        lifecycle.miss(lost, 3080, slow);
        assertThat(lost.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.expire(lost, 6080, slow);
        assertThat(lost.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.expire(lost, 80 + 7501, slow);
        assertThat(lost.phase()).isEqualTo(TrackPhase.REMOVED);
        Track tentative = lifecycle.birth(2, pose, 0);
        lifecycle.miss(tentative, 3000, slow);
        assertThat(tentative.phase()).isEqualTo(TrackPhase.TENTATIVE);
    }

    @Test
    void confirmedMissIsLostAndComesBackOnAMatch() {
        Track track = confirmed();
        lifecycle.miss(track, 120, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.miss(track, 1500, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.hit(track, pose, 1540);
        assertThat(track.phase()).isEqualTo(TrackPhase.CONFIRMED);
    }

    @Test
    void lostPastTheWindowIsRemovedByCaptureTimeAlone() {
        long window = THREE_HITS.maxLostMs();
        Track track = confirmed(); // last seen at 80 ms
        lifecycle.miss(track, 120, FAST);
        lifecycle.expire(track, 80 + window, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.expire(track, 80 + window + 1, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void anyTrackUnseenForLongerThanTheLostWindowIsRemoved() {
        // Frames stopped coming: a confirmed track never had a posed frame to miss in.
        Track track = confirmed();
        lifecycle.expire(track, 80 + THREE_HITS.maxLostMs() + 1, FAST);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void minHitsOfOneConfirmsAtBirth() {
        TrackLifecycle eager = new TrackLifecycle(TrackerConfig.DEFAULTS.withMinHits(1));
        assertThat(eager.birth(1, pose, 0).phase()).isEqualTo(TrackPhase.CONFIRMED);
    }

    @Test
    void badSettingsNameTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrackerConfig.DEFAULTS.withMinHits(0))
                .hasMessageContaining("minHits");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TrackerConfig.DEFAULTS.toBuilder().lowScore(0.9).build())
                .hasMessageContaining("lowScore");
    }

    private Track confirmed() {
        Track track = lifecycle.birth(1, pose, 0);
        lifecycle.hit(track, pose, 40);
        lifecycle.hit(track, pose, 80);
        return track;
    }
}
