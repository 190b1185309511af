package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeypointSmootherTest {
    private final TrackerConfig config = TrackerConfig.DEFAULTS;
    private final KalmanMotion motion = new KalmanMotion(config);
    private final KeypointSmoother smoother = new KeypointSmoother(config);

    /** Feeds {@code pose} to the track as the tracker does; returns what is published. */
    private Pose feed(Track track, Pose pose, long timeMs) {
        motion.update(track, pose, timeMs, false, config.maxPredictionMs());
        Pose published = smoother.smooth(track, pose, timeMs);
        track.pose = pose;
        track.lastSeenMs = timeMs;
        return published;
    }

    private Track born(Pose pose) {
        Track track = new Track(1, TrackPhase.CONFIRMED, 1, 1, 0, pose);
        motion.start(track);
        smoother.smooth(track, pose, 0);
        return track;
    }

    private static Pose jittered(Pose pose, Random random, double sd) {
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = pose.x(k) + random.nextGaussian() * sd;
            y[k] = pose.y(k) + random.nextGaussian() * sd;
            s[k] = pose.score(k);
        }
        return new Pose(x, y, s, pose.box(), pose.personScore());
    }

    @Test
    void aStillPersonJittersLess() {
        Pose still = Poses.person(400, 500, 100, 0.9);
        Random random = new Random(1);
        Track track = born(jittered(still, random, 2));
        double raw = 0;
        double published = 0;
        Pose lastRaw = track.pose;
        Pose lastPublished = track.pose;
        for (int f = 1; f <= 60; f++) {
            Pose detection = jittered(still, random, 2);
            Pose out = feed(track, detection, f * 500L);
            for (int k = 0; k < 17; k++) {
                raw += Math.hypot(detection.x(k) - lastRaw.x(k), detection.y(k) - lastRaw.y(k));
                published += Math.hypot(out.x(k) - lastPublished.x(k), out.y(k) - lastPublished.y(k));
            }
            lastRaw = detection;
            lastPublished = out;
        }
        assertThat(published).isLessThan(0.8 * raw);
    }

    @Test
    void aWalkingPersonIsNotLeftBehind() {
        // A rigid walk at 80 px/s (0.8 body heights a second) posed twice a second: published where detected.
        Track track = born(Poses.person(100, 500, 100, 0.9));
        for (int f = 1; f <= 20; f++) {
            Pose detection = Poses.person(100 + 40 * f, 500, 100, 0.9);
            Pose out = feed(track, detection, f * 500L);
            for (int k = 0; k < 17; k++) {
                assertThat(out.x(k)).isCloseTo(detection.x(k), within(0.5));
            }
        }
    }

    @Test
    void aKeypointJumpingFarIsHeldOnceThenBelieved() {
        Pose still = Poses.person(400, 500, 100, 0.9);
        Track track = born(still);
        for (int f = 1; f <= 4; f++) {
            feed(track, still, f * 500L);
        }
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = still.x(k);
            y[k] = still.y(k);
            s[k] = 0.9;
        }
        x[9] += 40; // the left wrist 0.4 body heights off
        Pose jumped = new Pose(x, y, s, still.box(), 0.9);
        Pose first = feed(track, jumped, 2500);
        assertThat(first.x(9)).isCloseTo(still.x(9), within(1.0));
        Pose second = feed(track, jumped, 3000);
        assertThat(second.x(9)).isGreaterThan(still.x(9) + 10);
    }

    @Test
    void afterAResetThePoseIsTakenAsItComes() {
        Track track = born(Poses.person(400, 500, 100, 0.9));
        feed(track, Poses.person(400, 500, 100, 0.9), 500);
        smoother.reset(track);
        Pose elsewhere = jittered(Poses.person(400, 500, 100, 0.9), new Random(2), 5);
        Pose out = feed(track, elsewhere, 1000);
        for (int k = 0; k < 17; k++) {
            assertThat(out.x(k)).isCloseTo(elsewhere.x(k), within(1e-9));
            assertThat(out.y(k)).isCloseTo(elsewhere.y(k), within(1e-9));
        }
    }
}
