package io.posestream.tracker.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.schemas.AppearanceDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The synthetic colours compare as the worker's do on the sample camera (bench footage's colour rows). */
class ClothingColoursTest {
    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.floor(q * (sorted.size() - 1)));
    }

    @Test
    void onePersonsDetectionsCompareAsMeasuredAndTwoPeopleLess() {
        Random random = new Random(7);
        List<Double> same = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            float[] a = ClothingColours.wear(random);
            float[] b = ClothingColours.wear(random);
            float[] seen = ClothingColours.observe(a, null, 0, true, true, random);
            same.add(AppearanceDescriptor.similarity(seen, ClothingColours.observe(a, null, 0, true, true, random)));
            if (a != b) {
                others.add(
                        AppearanceDescriptor.similarity(seen, ClothingColours.observe(b, null, 0, true, true, random)));
            }
        }
        // Measured on vtest.avi: p10 0.93, p50 0.98 for one person half a second apart; 0.78 for two people.
        assertThat(quantile(same, 0.1)).isBetween(0.88, 0.96);
        assertThat(quantile(same, 0.5)).isBetween(0.96, 0.995);
        assertThat(quantile(others, 0.5)).isBetween(0.6, 0.9);
        assertThat(ClothingColours.measured()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aCoveredPersonIsSeenPartlyInTheNearerOnesColoursAndAnUnseenRegionIsEmpty() {
        Random random = new Random(3);
        float[] red = new float[AppearanceDescriptor.LENGTH];
        red[0] = 1;
        red[AppearanceDescriptor.BINS] = 1;
        float[] blue = new float[AppearanceDescriptor.LENGTH];
        blue[8] = 1;
        blue[AppearanceDescriptor.BINS + 8] = 1;

        float[] half = ClothingColours.observe(red, blue, 0.5, true, false, random);

        assertThat(half[8]).isGreaterThan(0.3f);
        assertThat(AppearanceDescriptor.present(half, AppearanceDescriptor.LEGS))
                .isFalse();
    }

    @Test
    void calibratedScenesGiveEveryDetectionColoursAndLeaveTheGroundTruthWithout() {
        var scene = new SceneGenerator(Scenario.STREET_CROWD, 2).generate();
        assertThat(scene.detections().root().get("annotations"))
                .allSatisfy(a -> assertThat(a.get("appearance")).hasSize(AppearanceDescriptor.LENGTH));
        assertThat(scene.groundTruth().root().get("annotations").findValues("appearance"))
                .isEmpty();
    }
}
