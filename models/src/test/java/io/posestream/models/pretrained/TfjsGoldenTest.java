package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * The converted SavedModels against the original TFJS models run by pure-JS TensorFlow.js on the same real photo:
 * max absolute difference at most 1e-4 for MoveNet's heatmaps and CenterNet's scores, and for CenterNet's boxes in
 * units of the input size (the test JVM runs with TF_ENABLE_ONEDNN_OPTS=0).
 */
class TfjsGoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final Path WORK = Path.of("target", "tfjs-golden").toAbsolutePath();

    @Test
    void moveNetHeatmapsMatchTensorFlowJs() throws Exception {
        BufferedImage image = TestImages.read(TestImages.MESSI);
        // A square crop around the player, integer-valued like the original's int32 input.
        float[] crop = TestImages.rgb(TestImages.crop(image, 150, 20, 300, 300, MoveNetThunder.SIZE));
        float[] expected = TfjsReference.run(
                PreparedModels.originals().resolve("models/movenet-thunder.json"),
                crop,
                true,
                new long[] {1, 256, 256, 3},
                MoveNetThunder.HEATMAPS,
                WORK.resolve("movenet"));

        float[] actual;
        try (LoadedModel model = LoadedModel.load(PreparedModels.movenet(), ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(crop, 1, 256, 256);
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            TFloat32 heatmaps = (TFloat32) result.get(ModelContract.HEATMAPS).orElseThrow();
            assertThat(heatmaps.shape().asArray()).containsExactly(1, 64, 64, 17);
            actual = TestImages.values(heatmaps);
        }
        assertThat(expected).hasSize(64 * 64 * 17);
        double diff = maxAbsDiff(actual, expected);
        System.out.printf("MoveNet-Thunder vs TFJS: heatmaps max |diff| %.3g%n", diff);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
        assertThat(max(actual))
                .as("a real person gives confident heatmap peaks")
                .isGreaterThan(0.3f);
    }

    @Test
    void moveNetTakesABatchAndEachCropKeepsItsOwnHeatmaps() throws Exception {
        BufferedImage image = TestImages.read(TestImages.MESSI);
        float[] crop = TestImages.rgb(TestImages.crop(image, 150, 20, 300, 300, MoveNetThunder.SIZE));
        float[] grey = new float[crop.length];
        java.util.Arrays.fill(grey, 128f);
        float[] both = new float[crop.length * 2];
        System.arraycopy(grey, 0, both, 0, crop.length);
        System.arraycopy(crop, 0, both, crop.length, crop.length);
        try (LoadedModel model = LoadedModel.load(PreparedModels.movenet(), ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 single = TestImages.tensor(crop, 1, 256, 256);
                TFloat32 batch = TestImages.tensor(both, 2, 256, 256);
                Result one = model.call(Map.of(ModelContract.INPUT, single));
                Result two = model.call(Map.of(ModelContract.INPUT, batch))) {
            float[] alone =
                    TestImages.values((TFloat32) one.get(ModelContract.HEATMAPS).orElseThrow());
            TFloat32 batched = (TFloat32) two.get(ModelContract.HEATMAPS).orElseThrow();
            assertThat(batched.shape().asArray()).containsExactly(2, 64, 64, 17);
            float[] values = TestImages.values(batched);
            float[] second = java.util.Arrays.copyOfRange(values, alone.length, values.length);
            float[] first = java.util.Arrays.copyOfRange(values, 0, alone.length);
            assertThat(maxAbsDiff(second, alone)).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(first, alone))
                    .as("the grey image is not the player")
                    .isGreaterThan(0.1);
        }
    }

    @Test
    void centerNetBoxesAndScoresMatchTensorFlowJs() throws Exception {
        BufferedImage image = TestImages.read(TestImages.MESSI);
        float[] pixels =
                TestImages.rgb(TestImages.crop(image, 0, 0, image.getWidth(), image.getHeight(), CenterNet.SIZE));
        float[] detections = TfjsReference.run(
                PreparedModels.originals().resolve("models/centernet.json"),
                pixels,
                false,
                new long[] {1, 512, 512, 3},
                CenterNet.DETECTIONS,
                WORK.resolve("centernet"));
        assertThat(detections).hasSize(100 * 6);
        float[] expectedBoxes = new float[100 * 4];
        float[] expectedScores = new float[100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(detections, i * 6, expectedBoxes, i * 4, 4);
            expectedScores[i] = detections[i * 6 + 5] == 0f ? detections[i * 6 + 4] : 0f;
        }

        try (LoadedModel model =
                        LoadedModel.load(PreparedModels.centernet(), ModelKind.DETECTOR, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(pixels, 1, 512, 512);
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            TFloat32 boxes = (TFloat32) result.get(ModelContract.BOXES).orElseThrow();
            TFloat32 scores = (TFloat32) result.get(ModelContract.SCORES).orElseThrow();
            assertThat(boxes.shape().asArray()).containsExactly(1, 100, 4);
            assertThat(scores.shape().asArray()).containsExactly(1, 100);
            // Boxes are in input pixels (up to 512, where a float32 step is 3e-5): compared in units of the input
            // size, as the scores are, so 1e-4 means the same thing for both. In pixels the difference seen is a
            // few float32 steps (1.5e-4 px).
            double boxDiffPx = maxAbsDiff(TestImages.values(boxes), expectedBoxes);
            double scoreDiff = maxAbsDiff(TestImages.values(scores), expectedScores);
            System.out.printf(
                    "CenterNet vs TFJS: boxes max |diff| %.3g px (%.3g of the input size), scores %.3g%n",
                    boxDiffPx, boxDiffPx / CenterNet.SIZE, scoreDiff);
            assertThat(boxDiffPx / CenterNet.SIZE).isLessThanOrEqualTo(TOLERANCE);
            assertThat(boxDiffPx).as("pixels").isLessThanOrEqualTo(1e-3);
            assertThat(scoreDiff).isLessThanOrEqualTo(TOLERANCE);
        }
        int nonPerson = 0;
        for (int i = 0; i < 100; i++) {
            nonPerson += detections[i * 6 + 5] != 0f ? 1 : 0;
        }
        assertThat(nonPerson)
                .as("the photo has other classes too, so the zeroing is exercised")
                .isPositive();
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
