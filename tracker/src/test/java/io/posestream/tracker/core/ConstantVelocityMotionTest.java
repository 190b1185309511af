package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConstantVelocityMotionTest {
    private final TrackerConfig config = TrackerConfig.DEFAULTS;
    private final ConstantVelocityMotion motion = new ConstantVelocityMotion(config);
    private final TrackLifecycle lifecycle = new TrackLifecycle(config);

    @Test
    void learnsVelocityAndPredictsAlongIt() {
        Track track = lifecycle.birth(1, Poses.person(100, 600), 0);
        Pose next = Poses.person(110, 600);
        motion.observe(track, next, 100); // 10 px in 100 ms = 100 px/s
        lifecycle.hit(track, next, 100);
        assertThat(track.vx()).isCloseTo(100, within(1e-9));
        assertThat(track.vy()).isCloseTo(0, within(1e-9));
        assertThat(motion.predict(track, 600).box().centreX()).isCloseTo(160, within(1e-9));
    }

    @Test
    void smoothsVelocityAndCapsTheHorizon() {
        Track track = lifecycle.birth(1, Poses.person(100, 600), 0);
        Pose second = Poses.person(110, 600);
        motion.observe(track, second, 100);
        lifecycle.hit(track, second, 100);
        Pose third = Poses.person(140, 600); // 300 px/s measured; smoothed with 0.3: 0.3 * 300 + 0.7 * 100 = 160
        motion.observe(track, third, 200);
        lifecycle.hit(track, third, 200);
        assertThat(config.velocitySmoothing()).isEqualTo(0.3);
        assertThat(track.vx()).isCloseTo(160, within(1e-9));
        // 5 s later, but extrapolation stops at maxPredictionMs (1 s): 140 + 160.
        assertThat(motion.predict(track, 5200).box().centreX()).isCloseTo(300, within(1e-9));
    }

    @Test
    void velocityFollowsTheVisibleJointsNotAShrinkingBox() {
        Track track = lifecycle.birth(1, Poses.person(100, 600), 0);
        Pose moved = Poses.person(110, 600);
        // Same joints 10 px further, but the box lost its right half (partly hidden): its centre moved back.
        Pose partlyHidden = new Pose(
                xs(moved),
                ys(moved),
                scores(moved),
                new Bounds(
                        moved.box().x1(),
                        moved.box().y1(),
                        moved.box().centreX() - 40,
                        moved.box().y2()),
                0.6);
        motion.observe(track, partlyHidden, 100);
        assertThat(track.vx()).isCloseTo(100, within(1e-9));
    }

    private static double[] xs(Pose p) {
        double[] a = new double[17];
        for (int k = 0; k < 17; k++) {
            a[k] = p.x(k);
        }
        return a;
    }

    private static double[] ys(Pose p) {
        double[] a = new double[17];
        for (int k = 0; k < 17; k++) {
            a[k] = p.y(k);
        }
        return a;
    }

    private static double[] scores(Pose p) {
        double[] a = new double[17];
        for (int k = 0; k < 17; k++) {
            a[k] = p.score(k);
        }
        return a;
    }
}
