package io.posestream.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoseRescoringTest {

    @Test
    void boxScoreTimesMeanOfVisibleKeypointScores() {
        // Above 0.2: 0.9 and 0.5 (0.2 itself is not, the comparison is strict) -> mean 0.7 -> 0.8 * 0.7.
        float score = PoseRescoring.rescore(0.8f, new float[] {0.9f, 0.1f, 0.5f, 0.2f}, 0.2f);

        assertThat(score).isCloseTo(0.56f, within(1e-6f));
    }

    @Test
    void allKeypointsCountWithAZeroThreshold() {
        assertThat(PoseRescoring.rescore(0.5f, new float[] {0.4f, 0.2f}, 0f)).isCloseTo(0.15f, within(1e-6f));
    }

    @Test
    void noVisibleKeypointGivesZero() {
        assertThat(PoseRescoring.rescore(0.9f, new float[] {0.1f, 0.2f, 0f}, 0.2f))
                .isZero();
        assertThat(PoseRescoring.rescore(0.9f, new float[0], 0.2f)).isZero();
    }
}
