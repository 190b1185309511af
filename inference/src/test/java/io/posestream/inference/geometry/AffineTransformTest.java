package io.posestream.inference.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AffineTransformTest {

    // 96 x 128 pixels around (100, 50): the aspect ratio of a 192x256 input and of its 48x64 heatmap.
    private static final CenterScale REGION = new CenterScale(100, 50, 96, 128);

    @Test
    void regionCentreMapsToOutputCentre() {
        double[] p = AffineTransform.cropToOutput(REGION, 192, 256).apply(100, 50);

        assertThat(p[0]).isCloseTo(96.0, within(1e-9));
        assertThat(p[1]).isCloseTo(128.0, within(1e-9));
    }

    @Test
    void regionCornersMapToOutputCorners() {
        AffineTransform t = AffineTransform.cropToOutput(REGION, 192, 256);

        assertThat(t.apply(52, -14)).containsExactly(new double[] {0, 0}, within(1e-9));
        assertThat(t.apply(148, 114)).containsExactly(new double[] {192, 256}, within(1e-9));
        assertThat(t.apply(148, -14)).containsExactly(new double[] {192, 0}, within(1e-9));
    }

    @Test
    void handComputedCoefficients() {
        // s = 48 / 96 = 0.5; c = 24 - 0.5 * 100 = -26; f = 32 - 0.5 * 50 = 7.
        AffineTransform t = AffineTransform.cropToOutput(REGION, 48, 64);

        assertThat(t.coefficients()).containsExactly(new double[] {0.5, 0, -26, 0, 0.5, 7}, within(1e-12));
        assertThat(t.inverse().coefficients()).containsExactly(new double[] {2, 0, 52, 0, 2, -14}, within(1e-12));
    }

    @Test
    void widthRatioScalesBothAxesLikeHrnet() {
        // A region twice as tall as the output's aspect: HRNet still scales y by outWidth / width.
        AffineTransform t = AffineTransform.cropToOutput(new CenterScale(0, 0, 100, 400), 50, 50);

        assertThat(t.apply(0, 100)).containsExactly(new double[] {25, 75}, within(1e-12));
    }

    @Test
    void inverseUndoesApply() {
        AffineTransform t = AffineTransform.cropToOutput(new CenterScale(321.5, 87.25, 143.0, 190.7), 48, 64);
        AffineTransform inv = t.inverse();

        for (double[] p : new double[][] {{0, 0}, {321.5, 87.25}, {-40.3, 1000.9}, {12345.6, -789.1}}) {
            double[] q = t.apply(p[0], p[1]);
            assertThat(inv.apply(q[0], q[1])).containsExactly(p, within(1e-9));
        }
    }

    @Test
    void coefficientsAreACopy() {
        AffineTransform t = AffineTransform.cropToOutput(REGION, 48, 64);
        t.coefficients()[0] = 42;

        assertThat(t.coefficients()[0]).isEqualTo(0.5);
    }

    @Test
    void rejectsBadOutputSize() {
        assertThatThrownBy(() -> AffineTransform.cropToOutput(REGION, 0, 64))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void singularMatrixHasNoInverse() {
        // A region so wide that the scale underflows to zero.
        AffineTransform t = AffineTransform.cropToOutput(new CenterScale(0, 0, Double.MAX_VALUE, 1), 1, 1);
        // 1 / MAX_VALUE is not zero, but its square (the determinant) is.
        assertThatThrownBy(t::inverse).isInstanceOf(IllegalStateException.class);
    }
}
