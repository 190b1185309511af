package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.schemas.CocoKeypoints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * The converted SavedModels against the original TFJS models run by pure-JS TensorFlow.js on the same real photo
 * (the test JVM runs with TF_ENABLE_ONEDNN_OPTS=0). The originals decode one image at a time; the converted models
 * take a batch, so each is called once on a batch of crops (or frames) and every item is compared with the
 * original's output for that item alone: MoveNet's keypoints (x, y in units of the input size, and scores) and
 * CenterNet's boxes (in units of the input size) and scores, each within 1e-4.
 */
class TfjsGoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final Path WORK = Path.of("target", "tfjs-golden").toAbsolutePath();
    private static final int K = CocoKeypoints.COUNT;

    /** Three crops of the photo: the player in the middle, the player off-centre and close up, grass and a leg. */
    private static final double[][] CROPS = {{150, 20, 300, 300}, {60, 0, 260, 260}, {300, 150, 200, 200}};

    @ParameterizedTest
    @ValueSource(strings = {"movenet-thunder", "movenet-lightning"})
    void moveNetKeypointsOfABatchMatchTensorFlowJsOnEachCrop(String name) throws Exception {
        MoveNet movenet = name.equals(MoveNet.THUNDER.dirName()) ? MoveNet.THUNDER : MoveNet.LIGHTNING;
        int size = movenet.size();
        BufferedImage image = TestImages.read(TestImages.MESSI);
        float[] batch = new float[CROPS.length * size * size * 3];
        float[][] expected = new float[CROPS.length][];
        for (int c = 0; c < CROPS.length; c++) {
            double[] r = CROPS[c];
            // Integer-valued like the original's int32 input.
            float[] crop = TestImages.rgb(TestImages.crop(image, r[0], r[1], r[2], r[3], size));
            System.arraycopy(crop, 0, batch, c * crop.length, crop.length);
            expected[c] = TfjsReference.run(
                    PreparedModels.originals().resolve(movenet.packagePath()),
                    crop,
                    true,
                    new long[] {1, size, size, 3},
                    MoveNet.DECODED,
                    WORK.resolve(name + "-" + c));
            assertThat(expected[c]).as("the original's [1,1,17,3]").hasSize(K * 3);
        }

        float[] actual;
        try (LoadedModel model =
                        LoadedModel.load(PreparedModels.dir().resolve(name), ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(batch, CROPS.length, size, size);
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            TFloat32 keypoints = (TFloat32) result.get(ModelContract.KEYPOINTS).orElseThrow();
            assertThat(keypoints.shape().asArray()).containsExactly(CROPS.length, K, 3);
            actual = TestImages.values(keypoints);
        }
        double worstXy = 0;
        double worstScore = 0;
        for (int c = 0; c < CROPS.length; c++) {
            for (int k = 0; k < K; k++) {
                int ours = (c * K + k) * 3;
                // The original: y, x in [0,1], score; ours: x, y in input pixels, score.
                worstXy = Math.max(worstXy, Math.abs(actual[ours] / size - expected[c][k * 3 + 1]));
                worstXy = Math.max(worstXy, Math.abs(actual[ours + 1] / size - expected[c][k * 3]));
                worstScore = Math.max(worstScore, Math.abs(actual[ours + 2] - expected[c][k * 3 + 2]));
            }
        }
        System.out.printf(
                "%s vs TFJS on %d crops in one batch: keypoints max |diff| %.3g of the input size (%.3g px), "
                        + "scores %.3g%n",
                name, CROPS.length, worstXy, worstXy * size, worstScore);
        assertThat(worstXy).isLessThanOrEqualTo(TOLERANCE);
        assertThat(worstScore).isLessThanOrEqualTo(TOLERANCE);
        float nose = actual[2];
        assertThat(nose).as("the player's nose is found with confidence").isGreaterThan(0.3f);
        assertThat(Arrays.copyOfRange(actual, 0, K * 3))
                .as("the crops differ, so a mix-up between batch items would show")
                .isNotEqualTo(Arrays.copyOfRange(actual, K * 3, 2 * K * 3));
    }

    @Test
    void centerNetDetectionsOfABatchMatchTensorFlowJsOnEachFrame() throws Exception {
        BufferedImage image = TestImages.read(TestImages.MESSI);
        int w = image.getWidth();
        int h = image.getHeight();
        int size = CenterNet.SIZE;
        // The whole photo, and its left two thirds: different images whose detections must not mix.
        float[][] frames = {
            TestImages.rgb(TestImages.crop(image, 0, 0, w, h, size)),
            TestImages.rgb(TestImages.crop(image, 0, 0, w * 2 / 3.0, h, size))
        };
        float[] batch = new float[frames.length * frames[0].length];
        for (int f = 0; f < frames.length; f++) {
            System.arraycopy(frames[f], 0, batch, f * frames[f].length, frames[f].length);
        }
        float[] boxes;
        float[] scores;
        try (LoadedModel model =
                        LoadedModel.load(PreparedModels.centernet(), ModelKind.DETECTOR, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(batch, frames.length, size, size);
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            TFloat32 b = (TFloat32) result.get(ModelContract.BOXES).orElseThrow();
            TFloat32 s = (TFloat32) result.get(ModelContract.SCORES).orElseThrow();
            assertThat(b.shape().asArray()).containsExactly(frames.length, 100, 4);
            assertThat(s.shape().asArray()).containsExactly(frames.length, 100);
            boxes = TestImages.values(b);
            scores = TestImages.values(s);
        }
        int nonPerson = 0;
        for (int f = 0; f < frames.length; f++) {
            float[] detections = TfjsReference.run(
                    PreparedModels.originals().resolve("models/centernet.json"),
                    frames[f],
                    false,
                    new long[] {1, size, size, 3},
                    CenterNet.DETECTIONS,
                    WORK.resolve("centernet-" + f));
            assertThat(detections).hasSize(100 * 6);
            float[] expectedBoxes = new float[100 * 4];
            float[] expectedScores = new float[100];
            for (int i = 0; i < 100; i++) {
                System.arraycopy(detections, i * 6, expectedBoxes, i * 4, 4);
                expectedScores[i] = detections[i * 6 + 5] == 0f ? detections[i * 6 + 4] : 0f;
                nonPerson += detections[i * 6 + 5] != 0f ? 1 : 0;
            }
            // Boxes are in input pixels (up to 512, where a float32 step is 3e-5): compared in units of the input
            // size, as the scores are, so 1e-4 means the same thing for both.
            double boxDiffPx = maxAbsDiff(Arrays.copyOfRange(boxes, f * 400, (f + 1) * 400), expectedBoxes);
            double scoreDiff = maxAbsDiff(Arrays.copyOfRange(scores, f * 100, (f + 1) * 100), expectedScores);
            System.out.printf(
                    "CenterNet vs TFJS, image %d of a batch of %d: boxes max |diff| %.3g px (%.3g of the input size), "
                            + "scores %.3g%n",
                    f, frames.length, boxDiffPx, boxDiffPx / size, scoreDiff);
            assertThat(boxDiffPx / size).isLessThanOrEqualTo(TOLERANCE);
            assertThat(scoreDiff).isLessThanOrEqualTo(TOLERANCE);
        }
        assertThat(nonPerson)
                .as("the photo has other classes too, so the zeroing is exercised")
                .isPositive();
        assertThat(Arrays.copyOfRange(scores, 0, 100))
                .as("the two images give different detections")
                .isNotEqualTo(Arrays.copyOfRange(scores, 100, 200));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
