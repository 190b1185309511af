package io.posestream.inference.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.inference.model.Detection;
import io.posestream.inference.postprocess.DecodedPose;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Persons paired by their boxes and scored by COCO's OKS, on hand-made poses. */
class PoseAgreementTest {
    private static PosedPerson person(float x, float y, float dx, float score) {
        float[] xs = new float[17];
        float[] ys = new float[17];
        float[] s = new float[17];
        for (int k = 0; k < 17; k++) {
            xs[k] = x + 10 + (k % 3) * 10 + dx;
            ys[k] = y + 5 + k * 5;
            s[k] = 0.8f;
        }
        return new PosedPerson(new Detection(x, y, x + 40, y + 100, 0.7f), score, new DecodedPose(xs, ys, s));
    }

    @Test
    void identicalPosesAgreeFullyAndShiftedOnesLess() {
        PosedPerson a = person(100, 100, 0, 0.5f);

        assertThat(PoseAgreement.of(List.of(a), List.of(a)).meanOks()).isEqualTo(1.0);

        // Every keypoint 4 px off on a 40x100 box: OKS = mean exp(-16 / (2 * 4000 * (2 sigma_k)^2)).
        PoseAgreement shifted = PoseAgreement.of(List.of(a), List.of(person(100, 100, 4, 0.5f)));
        double expected = 0;
        for (int k = 0; k < 17; k++) {
            double var = Math.pow(2 * io.posestream.schemas.CocoKeypoints.oksSigma(k), 2);
            expected += Math.exp(-16 / (2 * 4000 * var));
        }
        assertThat(shifted.meanOks()).isCloseTo(expected / 17, within(1e-9));
        assertThat(shifted.meanOks()).isLessThan(1.0);
    }

    @Test
    void personsArePairedByTheirBoxesAndTheUnpairedCounted() {
        PosedPerson left = person(100, 100, 0, 0.5f);
        PosedPerson right = person(400, 100, 0, 0.5f);
        PosedPerson elsewhere = person(600, 300, 0, 0.5f);

        PoseAgreement agreement = PoseAgreement.of(List.of(left, right), List.of(right, elsewhere));

        assertThat(agreement.reference()).isEqualTo(2);
        assertThat(agreement.compared()).isEqualTo(2);
        assertThat(agreement.matched()).isEqualTo(1);
        assertThat(agreement.recall()).isEqualTo(0.5);
        assertThat(agreement.meanOks()).isEqualTo(1.0);
    }

    @Test
    void personsWithoutAnyConfidentKeypointAreLeftOutAndFramesAddUp() {
        PosedPerson real = person(100, 100, 0, 0.5f);
        PosedPerson empty = person(400, 100, 0, 0f);

        PoseAgreement one = PoseAgreement.of(List.of(real, empty), List.of(real));
        PoseAgreement two = one.plus(PoseAgreement.of(List.of(real), List.of(person(100, 100, 4, 0.5f))));

        assertThat(one.reference()).isEqualTo(1);
        assertThat(one.recall()).isEqualTo(1.0);
        assertThat(two.matched()).isEqualTo(2);
        assertThat(two.meanOks()).isLessThan(1.0).isGreaterThan(0.5);
        assertThat(PoseAgreement.NONE.meanOks()).isNaN();
    }
}
