package io.posestream.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OksNmsTest {

    private static final double[] COCO_SIGMAS = {
        .026, .025, .025, .035, .035, .079, .079, .072, .072, .062, .062, .107, .107, .087, .087, .089, .089,
    };

    private static DecodedPose pose(float dx, float dy) {
        float[] x = new float[17];
        float[] y = new float[17];
        float[] s = new float[17];
        for (int k = 0; k < 17; k++) {
            x[k] = 100 + 3 * k + dx;
            y[k] = 200 + 7 * k + dy;
            s[k] = 0.8f;
        }
        return new DecodedPose(x, y, s);
    }

    @Test
    void identicalPosesKeepOnlyTheHigherScore() {
        List<DecodedPose> poses = List.of(pose(0, 0), pose(0, 0));

        int[] kept = OksNms.keep(poses, new float[] {0.6f, 0.7f}, new double[] {5000, 5000}, COCO_SIGMAS, 0.9);

        assertThat(kept).containsExactly(1);
    }

    @Test
    void farApartPosesAreBothKeptBestFirst() {
        List<DecodedPose> poses = List.of(pose(0, 0), pose(1000, 0), pose(0.5f, 0.5f));

        int[] kept =
                OksNms.keep(poses, new float[] {0.6f, 0.7f, 0.5f}, new double[] {5000, 5000, 5000}, COCO_SIGMAS, 0.9);

        assertThat(kept).containsExactly(1, 0);
    }

    @Test
    void twoKeypointOksMatchesAHandComputation() {
        // vars = 0.04, 0.16; mean area 200; d^2 = 25, 4 -> e = 25/0.04/200/2 = 1.5625, 4/0.16/200/2 = 0.0625.
        DecodedPose a = new DecodedPose(new float[] {0, 10}, new float[] {0, 0}, new float[] {1, 1});
        DecodedPose b = new DecodedPose(new float[] {3, 10}, new float[] {4, 2}, new float[] {1, 1});
        double[] sigmas = {0.1, 0.2};

        double oks = OksNms.oks(a, b, 100, 300, sigmas);

        assertThat(oks).isCloseTo((Math.exp(-1.5625) + Math.exp(-0.0625)) / 2, within(1e-12));
        assertThat(oks).isCloseTo(0.574512, within(1e-6));
        assertThat(OksNms.oks(b, a, 300, 100, sigmas)).isCloseTo(oks, within(1e-15));

        // Dropped when OKS > threshold, kept when OKS <= threshold.
        assertThat(OksNms.keep(List.of(a, b), new float[] {0.9f, 0.8f}, new double[] {100, 300}, sigmas, 0.5))
                .containsExactly(0);
        assertThat(OksNms.keep(List.of(a, b), new float[] {0.9f, 0.8f}, new double[] {100, 300}, sigmas, 0.6))
                .containsExactly(0, 1);
    }

    @Test
    void zeroAreasStillGiveAFiniteOks() {
        DecodedPose a = new DecodedPose(new float[] {0}, new float[] {0}, new float[] {1});

        assertThat(OksNms.oks(a, a, 0, 0, new double[] {0.1})).isEqualTo(1.0);
    }

    @Test
    void equalScoresKeepTheLowerIndex() {
        List<DecodedPose> poses = List.of(pose(0, 0), pose(0, 0));

        assertThat(OksNms.keep(poses, new float[] {0.5f, 0.5f}, new double[] {5000, 5000}, COCO_SIGMAS, 0.9))
                .containsExactly(0);
    }

    @Test
    void rejectsMismatchedInput() {
        DecodedPose two = new DecodedPose(new float[2], new float[2], new float[2]);

        assertThatThrownBy(() -> OksNms.keep(List.of(two), new float[] {1}, new double[] {1}, COCO_SIGMAS, 0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17 keypoints");
        assertThatThrownBy(
                        () -> OksNms.keep(List.of(pose(0, 0)), new float[] {1, 2}, new double[] {1}, COCO_SIGMAS, 0.9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OksNms.keep(List.of(), new float[0], new double[0], COCO_SIGMAS, 0.9))
                .isEmpty();
    }
}
