package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KalmanMotionTest {
    private final TrackerConfig config = TrackerConfig.DEFAULTS;
    private final KalmanMotion motion = new KalmanMotion(config);
    private static final double HORIZON = TrackerConfig.DEFAULTS.maxPredictionMs();

    /** A track that walked at {@code speed} px/s for {@code seconds}, seen every {@code stepMs}. */
    private Track walked(double height, double speed, double seconds, long stepMs) {
        Track track = new Track(1, TrackPhase.TENTATIVE, 1, 1, 0, Poses.person(300, 500, height, 0.9));
        motion.start(track);
        for (long t = stepMs; t <= seconds * 1000; t += stepMs) {
            Pose next = Poses.person(300 + speed * t / 1000.0, 500, height, 0.9);
            motion.update(track, next, t, false, HORIZON);
            track.pose = next;
            track.lastSeenMs = t;
        }
        return track;
    }

    @Test
    void learnsTheVelocityAndPredictsAlongIt() {
        Track track = walked(100, 60, 3, 500);
        assertThat(track.vx()).isCloseTo(60, within(3.0));
        KalmanMotion.Prediction p = motion.predict(track, track.lastSeenMs() + 1000, HORIZON);
        assertThat(p.dx()).isCloseTo(60, within(3.0));
        assertThat(p.dy()).isCloseTo(0, within(1.0));
    }

    @Test
    void uncertaintyGrowsWithTheTimeSinceLastSeenUpToItsBound() {
        Track track = walked(100, 60, 3, 500);
        double soon = motion.predict(track, track.lastSeenMs() + 200, HORIZON).sx();
        double later = motion.predict(track, track.lastSeenMs() + 1000, HORIZON).sx();
        double muchLater =
                motion.predict(track, track.lastSeenMs() + 20_000, HORIZON).sx();
        assertThat(later).isGreaterThan(soon);
        double bound = config.maxPositionUncertainty() * 100;
        double r = config.positionNoise() * 100;
        assertThat(muchLater).isCloseTo(bound * bound + r * r, within(1.0));
    }

    @Test
    void theGateScalesWithBodyHeight() {
        // The same miss in body heights is the same distance, for a person 50 px tall and one 300 px tall.
        for (double height : new double[] {50, 300}) {
            Track track = walked(height, 0, 2, 500);
            KalmanMotion.Prediction p = motion.predict(track, track.lastSeenMs() + 500, HORIZON);
            double near = motion.distance2(track, p, Poses.person(300 + 0.05 * height, 500, height, 0.9));
            double far = motion.distance2(track, p, Poses.person(300 + 0.6 * height, 500, height, 0.9));
            assertThat(near).as("height %s", height).isLessThan(config.motionGate());
            assertThat(far).as("height %s", height).isGreaterThan(config.motionGate());
        }
    }

    @Test
    void aPartlyHiddenPersonIsMeasuredByTheVisibleJointsNotTheShrunkBox() {
        Track track = walked(200, 0, 1, 500);
        Pose whole = Poses.person(300, 500, 200, 0.9);
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = whole.x(k);
            y[k] = whole.y(k);
            s[k] = k < 11 ? 0.9 : 0.05; // legs hidden
        }
        // The detector's box covers the upper body only: its centre is far above the body's.
        Pose upper = new Pose(x, y, s, new Bounds(266, 300, 334, 400), 0.5);
        double[] z = motion.measure(track, upper);
        assertThat(z[0]).isCloseTo(track.motion.anchorX, within(0.5));
        assertThat(z[1]).isCloseTo(track.motion.anchorY, within(0.5));
    }

    @Test
    void aKeypointFarOffDoesNotMoveTheMeasuredPosition() {
        Track track = walked(100, 0, 1, 500);
        Pose same = Poses.person(300, 500, 100, 0.9);
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = same.x(k);
            y[k] = same.y(k);
            s[k] = 0.9;
        }
        x[9] += 60; // a wrist taken for someone else's
        double[] z = motion.measure(track, new Pose(x, y, s, same.box(), 0.5));
        assertThat(z[0]).isCloseTo(track.motion.anchorX, within(0.5));
    }

    @Test
    void afterAGapTheVelocityComesFromTheObservationsAroundIt() {
        // Walking at 60 px/s, then hidden 2 s during which the person turned back at 60 px/s.
        Track track = walked(100, 60, 3, 500);
        double x0 = track.motion.anchorX;
        long back = track.lastSeenMs() + 2000;
        Pose seen = track.pose.translate(-120, 0);
        motion.update(track, seen, back, true, HORIZON);
        assertThat(track.vx()).isCloseTo(-60, within(1.0));
        assertThat(track.motion.anchorX).isCloseTo(x0 - 120, within(0.5));
    }
}
