package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OksTest {

    @Test
    void identicalPosesHaveOksOne() {
        Pose pose = Poses.person(500, 600);
        assertThat(Oks.between(pose, pose, pose.box().area(), 0.3)).isEqualTo(1.0);
    }

    @Test
    void matchesTheCocoFormulaComputedByHand() {
        Pose a = Poses.person(500, 600);
        Pose b = a.translate(3, 4); // every keypoint 5 px away
        double area = 10_000;
        double sum = 0;
        double[] sigmas = {.26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89};
        for (double sigma : sigmas) {
            double k = 2 * sigma / 10;
            sum += Math.exp(-25 / (2 * area * k * k));
        }
        assertThat(Oks.between(a, b, area, 0.3)).isCloseTo(sum / 17, within(1e-12));
        // The nose alone, by hand: k = 0.052, e = 25 / (2 * 10000 * 0.002704) = 0.46228, exp(-e) = 0.62985.
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = b.x(k);
            y[k] = b.y(k);
            s[k] = k == 0 ? 0.9 : 0.0;
        }
        Pose noseOnly = new Pose(x, y, s, b.box(), 0.9);
        assertThat(Oks.between(a, noseOnly, area, 0.3)).isCloseTo(0.62985, within(1e-5));
    }

    @Test
    void ignoresKeypointsNotConfidentInBothAndIsZeroWithoutAny() {
        Pose a = Poses.person(500, 600);
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = a.x(k) + (k == 0 ? 0 : 100);
            y[k] = a.y(k);
            s[k] = k == 0 ? 0.9 : 0.1;
        }
        Pose onlyNose = new Pose(x, y, s, a.box(), 0.9);
        assertThat(Oks.between(a, onlyNose, a.box().area(), 0.3)).isEqualTo(1.0);
        assertThat(Oks.between(a, onlyNose, a.box().area(), 0.95)).isZero();
    }

    @Test
    void iouOfBoxes() {
        Bounds a = new Bounds(0, 0, 10, 10);
        assertThat(a.iou(new Bounds(5, 0, 15, 10))).isCloseTo(50.0 / 150, within(1e-12));
        assertThat(a.iou(new Bounds(20, 20, 30, 30))).isZero();
    }
}
