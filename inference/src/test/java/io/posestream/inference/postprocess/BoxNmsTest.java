package io.posestream.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoxNmsTest {

    // 0: the lowest-scoring of three; 1: A; 2: B, overlapping A with IoU 81/119 = 0.68; 3: C, disjoint.
    private static final float[] BOXES = {
        40, 40, 50, 50,
        0, 0, 10, 10,
        1, 1, 11, 11,
        20, 20, 30, 30,
    };
    private static final float[] SCORES = {0.1f, 0.9f, 0.8f, 0.7f};

    @Test
    void overlappingBoxIsSuppressedDisjointOnesKeptBestFirst() {
        assertThat(BoxNms.keep(BOXES, SCORES, 0.05f, 0.5f, 10)).containsExactly(1, 3, 0);
    }

    @Test
    void iouThresholdIsRespected() {
        assertThat(BoxNms.keep(BOXES, SCORES, 0.05f, 0.7f, 10)).containsExactly(1, 2, 3, 0);
        assertThat(BoxNms.keep(BOXES, SCORES, 0.05f, 0.68f, 10)).containsExactly(1, 3, 0);
    }

    @Test
    void lowScoresAreDroppedAndMaxKeepRespected() {
        assertThat(BoxNms.keep(BOXES, SCORES, 0.3f, 0.5f, 10)).containsExactly(1, 3);
        assertThat(BoxNms.keep(BOXES, SCORES, 0.05f, 0.5f, 1)).containsExactly(1);
        assertThat(BoxNms.keep(BOXES, SCORES, 0.05f, 0.5f, 0)).isEmpty();
    }

    @Test
    void equalScoresKeepTheLowerIndexFirst() {
        float[] boxes = {0, 0, 1, 1, 5, 5, 6, 6, 10, 10, 11, 11, 2, 2, 3, 3};
        float[] scores = {0.5f, 0.6f, 0.5f, 0.6f};

        assertThat(BoxNms.keep(boxes, scores, 0f, 0.5f, 10)).containsExactly(1, 3, 0, 2);
    }

    @Test
    void equalScoreDuplicateKeepsTheLowerIndex() {
        float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10};

        assertThat(BoxNms.keep(boxes, new float[] {0.5f, 0.5f}, 0f, 0.5f, 10)).containsExactly(0);
    }

    @Test
    void degenerateBoxesAndNonFiniteScoresAreDropped() {
        float[] boxes = {0, 0, 0, 10, 0, 0, 10, -1, 0, 0, 10, 10, 20, 20, 30, 30, 40, 40, Float.NaN, 50};
        float[] scores = {0.9f, 0.9f, Float.NaN, 0.5f, 0.9f};

        assertThat(BoxNms.keep(boxes, scores, 0f, 0.5f, 10)).containsExactly(3);
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> BoxNms.keep(new float[7], new float[2], 0f, 0.5f, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BoxNms.keep(BOXES, SCORES, 0f, 0.5f, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
