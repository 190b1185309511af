package io.posestream.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FlipAugmentationTest {

    private static final int[][] PAIR_0_1 = {{0, 1}};

    // 1 x 1 x 4 x 2, NHWC: channel 0 reads 1,2,3,4 left to right, channel 1 reads 5,6,7,8.
    private static float[] plain() {
        return new float[] {1, 5, 2, 6, 3, 7, 4, 8};
    }

    // Channel 0 reads 10,20,30,40, channel 1 reads 50,60,70,80.
    private static float[] flipped() {
        return new float[] {10, 50, 20, 60, 30, 70, 40, 80};
    }

    @Test
    void flipInputMirrorsEachRowAndTwiceIsIdentity() {
        float[] images = new float[2 * 3 * 5 * 3];
        Random random = new Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }

        float[] once = FlipAugmentation.flipInput(images, 2, 3, 5, 3);

        // Image 1, row 2, column 0, channel 2 comes from column 4 of the same row.
        int row = ((1 * 3) + 2) * 5 * 3;
        assertThat(once[row + 2]).isEqualTo(images[row + 4 * 3 + 2]);
        assertThat(once).isNotEqualTo(images);
        assertThat(FlipAugmentation.flipInput(once, 2, 3, 5, 3)).containsExactly(images);
    }

    @Test
    void mergeWithoutShiftMirrorsSwapsAndAverages() {
        // Flipped back: mirror -> ch0 40,30,20,10 / ch1 80,70,60,50; swap -> ch0 80,70,60,50 / ch1 40,30,20,10.
        float[] heatmaps = plain();
        float[] flipped = flipped();

        FlipAugmentation.mergeFlipped(heatmaps, flipped, 1, 1, 4, 2, PAIR_0_1, false);

        assertThat(heatmaps).containsExactly(40.5f, 22.5f, 36f, 18f, 31.5f, 13.5f, 27f, 9f);
        assertThat(flipped).containsExactly(flipped());
    }

    @Test
    void mergeWithShiftMovesTheFlippedBackOutputOneColumnRight() {
        // Shifted: ch0 80,80,70,60 / ch1 40,40,30,20 (column 0 keeps its own value).
        float[] heatmaps = plain();

        FlipAugmentation.mergeFlipped(heatmaps, flipped(), 1, 1, 4, 2, PAIR_0_1, true);

        assertThat(heatmaps).containsExactly(40.5f, 22.5f, 41f, 23f, 36.5f, 18.5f, 32f, 14f);
    }

    @Test
    void symmetricHeatmapsFlippedStayTheSameWithoutShift() {
        // Two rows, two persons, one channel each: mirror-symmetric rows.
        float[] heatmaps = {1, 3, 3, 1, 0, 2, 2, 0, 5, 1, 1, 5, 4, 4, 4, 4};
        float[] flipped = FlipAugmentation.flipInput(heatmaps, 2, 2, 4, 1);

        assertThat(flipped).containsExactly(heatmaps);
        FlipAugmentation.mergeFlipped(heatmaps, flipped, 2, 2, 4, 1, new int[0][], false);

        assertThat(heatmaps).containsExactly(1, 3, 3, 1, 0, 2, 2, 0, 5, 1, 1, 5, 4, 4, 4, 4);
    }

    @Test
    void rejectsBadPairsAndShapes() {
        assertThatThrownBy(() ->
                        FlipAugmentation.mergeFlipped(plain(), flipped(), 1, 1, 4, 2, new int[][] {{0, 2}}, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 2");
        assertThatThrownBy(() -> FlipAugmentation.mergeFlipped(
                        plain(), flipped(), 1, 1, 4, 2, new int[][] {{0, 1}, {1, 0}}, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reuses");
        assertThatThrownBy(
                        () -> FlipAugmentation.mergeFlipped(plain(), flipped(), 1, 1, 4, 2, new int[][] {{0}}, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlipAugmentation.mergeFlipped(plain(), new float[6], 1, 1, 4, 2, PAIR_0_1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flippedHeatmaps");
        assertThatThrownBy(() -> FlipAugmentation.flipInput(new float[7], 1, 1, 4, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergedKeypointsComeBackMirroredSwappedAndAveraged() {
        // Two keypoints (0 = left, 1 = right) of one 100-px-wide crop.
        float[] plain = {30, 40, 0.8f, 70, 42, 0.6f};
        // The mirrored crop sees the left keypoint where the right one is, at x = 100 - x.
        float[] mirrored = {100 - 72, 44, 0.4f, 100 - 34, 38, 0.6f};

        FlipAugmentation.mergeFlippedKeypoints(plain, mirrored, 1, 2, 100, new int[][] {{0, 1}});

        // left: (30 + 34) / 2, (40 + 38) / 2, (0.8 + 0.6) / 2; right: (70 + 72) / 2, (42 + 44) / 2, (0.6 + 0.4) / 2
        assertThat(plain).containsExactly(new float[] {32, 39, 0.7f, 71, 43, 0.5f}, within(1e-6f));
    }
}
