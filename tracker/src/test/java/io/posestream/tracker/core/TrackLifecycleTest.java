package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackLifecycleTest {
    private final TrackLifecycle lifecycle = new TrackLifecycle(TrackerConfig.DEFAULTS);
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

    @Test
    void tentativeMissIsRemoved() {
        Track track = lifecycle.birth(1, pose, 0);
        lifecycle.miss(track, 40);
        assertThat(track.phase()).isEqualTo(TrackPhase.REMOVED);
    }

    @Test
    void confirmedMissIsLostAndComesBackOnAMatch() {
        Track track = confirmed();
        lifecycle.miss(track, 120);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.miss(track, 1500);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.hit(track, pose, 1540);
        assertThat(track.phase()).isEqualTo(TrackPhase.CONFIRMED);
    }

    @Test
    void lostPastTheWindowIsRemovedByCaptureTimeAlone() {
        Track track = confirmed(); // last seen at 80 ms
        lifecycle.miss(track, 120);
        lifecycle.expire(track, 80 + 2000);
        assertThat(track.phase()).isEqualTo(TrackPhase.LOST);
        lifecycle.expire(track, 80 + 2001);
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
    }

    private Track confirmed() {
        Track track = lifecycle.birth(1, pose, 0);
        lifecycle.hit(track, pose, 40);
        lifecycle.hit(track, pose, 80);
        return track;
    }
}
