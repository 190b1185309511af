package io.posestream.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.schemas.AppearanceDescriptor;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The colour descriptor read from pixels where the keypoints put the torso and the legs. */
class ClothingColoursTest {
    /** A figure standing at x 100: shoulders at y 60, hips at y 120, knees at 160, ankles at 200. */
    private static final float[] X = {100, 98, 102, 96, 104, 85, 115, 80, 120, 78, 122, 90, 110, 90, 110, 90, 110};

    private static final float[] Y = {40, 38, 38, 40, 40, 60, 60, 90, 90, 115, 115, 120, 120, 160, 160, 200, 200};

    /** A grey picture with a red torso and blue trousers (BGR). */
    private static SourceImage figure() {
        Mat bgr = new Mat(240, 200, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
        opencv_imgproc.rectangle(bgr, new Point(84, 58), new Point(116, 122), new Scalar(20, 20, 220, 0), -1, 8, 0);
        opencv_imgproc.rectangle(bgr, new Point(84, 122), new Point(116, 202), new Scalar(200, 40, 20, 0), -1, 8, 0);
        return SourceImage.ofBgr(bgr);
    }

    private static float[] scores(float value) {
        float[] s = new float[17];
        java.util.Arrays.fill(s, value);
        return s;
    }

    private static int hueBin(double degrees) {
        return (int) Math.round(degrees / (360.0 / AppearanceDescriptor.HUE_BINS)) % AppearanceDescriptor.HUE_BINS;
    }

    @Test
    void theTorsoReadsRedAndTheLegsBlue() {
        try (SourceImage image = figure()) {
            float[] d = ClothingColours.describe(image, X, Y, scores(0.9f), 0.3);

            assertThat(d).hasSize(AppearanceDescriptor.LENGTH);
            float torsoRed = d[hueBin(0)] + d[hueBin(30)] + d[hueBin(330)];
            float legsBlue = d[AppearanceDescriptor.BINS + hueBin(210)]
                    + d[AppearanceDescriptor.BINS + hueBin(240)]
                    + d[AppearanceDescriptor.BINS + hueBin(180)];
            assertThat(torsoRed).isGreaterThan(0.9f);
            assertThat(legsBlue).isGreaterThan(0.9f);
            float torsoSum = 0;
            for (int i = 0; i < AppearanceDescriptor.BINS; i++) {
                torsoSum += d[i];
            }
            assertThat(torsoSum).isCloseTo(1f, within(1e-4f));
        }
    }

    @Test
    void aRegionWhoseJointsAreUnsureIsLeftUnsampled() {
        float[] s = scores(0.9f);
        s[13] = 0.1f;
        s[14] = 0.1f;
        try (SourceImage image = figure()) {
            float[] d = ClothingColours.describe(image, X, Y, s, 0.3);

            assertThat(AppearanceDescriptor.present(d, AppearanceDescriptor.TORSO))
                    .isTrue();
            // No knee: neither thighs nor shins can be sampled.
            assertThat(AppearanceDescriptor.present(d, AppearanceDescriptor.LEGS))
                    .isFalse();
            float[] none = ClothingColours.describe(image, X, Y, scores(0.1f), 0.3);
            assertThat(AppearanceDescriptor.similarity(none, d)).isNaN();
        }
    }

    @Test
    void greyClothesGoToTheGreyLevelsAndDifferFromColouredOnes() {
        try (SourceImage image = figure()) {
            float[] shifted = X.clone();
            for (int k = 0; k < shifted.length; k++) {
                shifted[k] += 60; // Beside the figure: the grey background.
            }
            float[] background = ClothingColours.describe(image, shifted, Y, scores(0.9f), 0.3);
            float[] person = ClothingColours.describe(image, X, Y, scores(0.9f), 0.3);

            // 128 of 255 is the third of the four grey levels.
            assertThat(background[AppearanceDescriptor.HUE_BINS + 2]).isCloseTo(1f, within(1e-4f));
            assertThat(AppearanceDescriptor.similarity(background, person)).isLessThan(0.1);
            assertThat(AppearanceDescriptor.similarity(person, person)).isCloseTo(1.0, within(1e-6));
        }
    }
}
