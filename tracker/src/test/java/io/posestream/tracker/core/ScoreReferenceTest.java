package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoreReferenceTest {

    @Test
    void theQuantileOfTheScoresSeen() {
        ScoreReference reference = new ScoreReference();
        double[] scores = new double[100];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i / 100.0; // 0.00 .. 0.99, evenly
        }
        reference.observe(scores);
        assertThat(reference.quantile(0.5)).isCloseTo(0.5, within(0.02));
        assertThat(reference.quantile(0.9)).isCloseTo(0.9, within(0.02));
    }

    @Test
    void nothingSeenGivesZero() {
        assertThat(new ScoreReference().quantile(0.9)).isZero();
    }

    @Test
    void followsTheScaleTheModelsGive() {
        // A camera whose models score persons 0.25 to 0.5, and one scoring the same people 0.6 to 0.95.
        ScoreReference low = new ScoreReference();
        ScoreReference high = new ScoreReference();
        java.util.Random random = new java.util.Random(3);
        for (int frame = 0; frame < 100; frame++) {
            double[] a = new double[6];
            double[] b = new double[6];
            for (int i = 0; i < a.length; i++) {
                double u = random.nextDouble();
                a[i] = 0.25 + 0.25 * u;
                b[i] = 0.6 + 0.35 * u;
            }
            low.observe(a);
            high.observe(b);
        }
        assertThat(low.quantile(0.9)).isCloseTo(0.475, within(0.03));
        assertThat(high.quantile(0.9)).isCloseTo(0.915, within(0.03));
    }

    @Test
    void oldScoresFade() {
        ScoreReference reference = new ScoreReference();
        for (int i = 0; i < 200; i++) {
            reference.observe(new double[] {0.9, 0.9, 0.9});
        }
        assertThat(reference.quantile(0.9)).isCloseTo(0.9, within(0.02));
        // The camera's scene changes: after a few horizons only the new scores count.
        for (int i = 0; i < (int) (4 * ScoreReference.HORIZON / 3); i++) {
            reference.observe(new double[] {0.3, 0.3, 0.3});
        }
        assertThat(reference.quantile(0.5)).isCloseTo(0.3, within(0.02));
    }
}
