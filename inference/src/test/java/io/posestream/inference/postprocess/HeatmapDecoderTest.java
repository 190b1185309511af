package io.posestream.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.posestream.inference.geometry.CenterScale;
import org.junit.jupiter.api.Test;

class HeatmapDecoderTest {

    /** Sets (row y, column x, channel k) of person {@code n} in an NHWC array. */
    private static void set(float[] hm, int n, int h, int w, int c, int y, int x, int k, float v) {
        hm[n * h * w * c + (y * w + x) * c + k] = v;
    }

    @Test
    void peakWithStrongerRightAndLowerNeighboursShiftsByAQuarter() {
        float[] hm = new float[5 * 5];
        set(hm, 0, 5, 5, 1, 2, 2, 0, 1.0f);
        set(hm, 0, 5, 5, 1, 2, 3, 0, 0.5f);
        set(hm, 0, 5, 5, 1, 2, 1, 0, 0.2f);
        set(hm, 0, 5, 5, 1, 3, 2, 0, 0.6f);
        set(hm, 0, 5, 5, 1, 1, 2, 0, 0.1f);

        DecodedPose pose = HeatmapDecoder.decode(hm, 0, 5, 5, 1);

        assertThat(pose.x()).containsExactly(2.25f);
        assertThat(pose.y()).containsExactly(2.25f);
        assertThat(pose.scores()).containsExactly(1.0f);
    }

    @Test
    void strongerUpperNeighbourShiftsUpAndEqualSideNeighboursDoNotShift() {
        float[] hm = new float[6 * 5];
        set(hm, 0, 6, 5, 1, 3, 2, 0, 1.0f);
        set(hm, 0, 6, 5, 1, 3, 1, 0, 0.7f);
        set(hm, 0, 6, 5, 1, 3, 3, 0, 0.7f);
        set(hm, 0, 6, 5, 1, 2, 2, 0, 0.9f);

        DecodedPose pose = HeatmapDecoder.decode(hm, 0, 6, 5, 1);

        assertThat(pose.x()).containsExactly(2.0f);
        assertThat(pose.y()).containsExactly(2.75f);
    }

    @Test
    void peakNearTheBorderIsNotRefined() {
        // Column 1 is excluded as well: HRNet requires 1 < px < W-1.
        float[] hm = new float[5 * 5];
        set(hm, 0, 5, 5, 1, 2, 1, 0, 1.0f);
        set(hm, 0, 5, 5, 1, 2, 2, 0, 0.9f);
        set(hm, 0, 5, 5, 1, 3, 1, 0, 0.9f);

        DecodedPose pose = HeatmapDecoder.decode(hm, 0, 5, 5, 1);

        assertThat(pose.x()).containsExactly(1.0f);
        assertThat(pose.y()).containsExactly(2.0f);

        float[] edge = new float[5 * 5];
        set(edge, 0, 5, 5, 1, 2, 4, 0, 1.0f);
        set(edge, 0, 5, 5, 1, 1, 4, 0, 0.5f);
        DecodedPose onEdge = HeatmapDecoder.decode(edge, 0, 5, 5, 1);
        assertThat(onEdge.x()).containsExactly(4.0f);
        assertThat(onEdge.y()).containsExactly(2.0f);
    }

    @Test
    void zeroAndNegativeChannelsGiveTheOriginAndTheirScore() {
        int h = 4;
        int w = 4;
        int c = 2;
        float[] hm = new float[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                set(hm, 0, h, w, c, y, x, 1, -1.0f);
            }
        }
        set(hm, 0, h, w, c, 3, 2, 1, -0.5f);

        DecodedPose pose = HeatmapDecoder.decode(hm, 0, h, w, c);

        assertThat(pose.x()).containsExactly(0f, 0f);
        assertThat(pose.y()).containsExactly(0f, 0f);
        assertThat(pose.scores()).containsExactly(0f, -0.5f);
    }

    @Test
    void tiesGoToTheFirstCellInRowMajorOrder() {
        float[] hm = new float[4 * 4];
        set(hm, 0, 4, 4, 1, 0, 3, 0, 0.8f);
        set(hm, 0, 4, 4, 1, 1, 0, 0, 0.8f);

        DecodedPose pose = HeatmapDecoder.decode(hm, 0, 4, 4, 1);

        assertThat(pose.x()).containsExactly(3f);
        assertThat(pose.y()).containsExactly(0f);
    }

    @Test
    void picksTheRightPersonAndChannelFromABatchedNhwcArray() {
        int h = 4;
        int w = 5;
        int c = 2;
        float[] hm = new float[2 * h * w * c];
        // Person 0: decoys everywhere higher than person 1's peaks.
        set(hm, 0, h, w, c, 1, 1, 0, 9f);
        set(hm, 0, h, w, c, 2, 4, 1, 9f);
        // Person 1.
        set(hm, 1, h, w, c, 3, 0, 0, 0.4f);
        set(hm, 1, h, w, c, 0, 3, 1, 0.7f);

        DecodedPose person1 = HeatmapDecoder.decode(hm, h * w * c, h, w, c);

        assertThat(person1.x()).containsExactly(0f, 3f);
        assertThat(person1.y()).containsExactly(3f, 0f);
        assertThat(person1.scores()).containsExactly(0.4f, 0.7f);

        DecodedPose person0 = HeatmapDecoder.decode(hm, 0, h, w, c);
        assertThat(person0.x()).containsExactly(1f, 4f);
        assertThat(person0.y()).containsExactly(1f, 2f);
    }

    @Test
    void rejectsABlockOutsideTheArray() {
        float[] hm = new float[2 * 4 * 4 * 3];

        assertThatThrownBy(() -> HeatmapDecoder.decode(hm, 4 * 4 * 3 + 1, 4, 4, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> HeatmapDecoder.decode(hm, -1, 4, 4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeatmapDecoder.decode(hm, 0, 0, 4, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toSourceMapsHeatmapCellsThroughTheInverseCrop() {
        // Region 96 x 128 around (100, 50) onto a 48 x 64 heatmap: source = (2 x + 52, 2 y - 14).
        CenterScale region = new CenterScale(100, 50, 96, 128);
        DecodedPose heatmapPose =
                new DecodedPose(new float[] {24f, 10.25f, 0f}, new float[] {32f, 5f, 0f}, new float[] {0.9f, 0.4f, 0f});

        DecodedPose source = HeatmapDecoder.toSource(heatmapPose, region, 48, 64);

        assertThat(source.x()).containsExactly(new float[] {100f, 72.5f, 52f}, within(1e-4f));
        assertThat(source.y()).containsExactly(new float[] {50f, -4f, -14f}, within(1e-4f));
        assertThat(source.scores()).containsExactly(0.9f, 0.4f, 0f);
    }
}
