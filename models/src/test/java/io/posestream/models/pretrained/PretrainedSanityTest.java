package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.schemas.CocoKeypoints;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * The two converted models do their job on a real photo (Debian opencv-doc's messi5.jpg): CenterNet finds the
 * player (he lunges, arms and a leg spread, so his box is wider than tall), and MoveNet on
 * the player's crop puts the keypoints it decodes itself inside his box, head above hips above ankles.
 */
class PretrainedSanityTest {
    /** The player in messi5.jpg marked by hand: left fingertips to right toe, top of the head to the left foot. */
    private static final float[] PLAYER = {68, 60, 457, 335};

    @Test
    void detectorFindsThePersonAndMoveNetPlacesHisKeypoints() throws Exception {
        BufferedImage image = TestImages.read(TestImages.MESSI);
        int w = image.getWidth();
        int h = image.getHeight();

        // Detector: the whole photo stretched to 512x512, as @vladmandic/human feeds it; boxes back to photo px.
        float[] box = new float[4];
        float best;
        try (LoadedModel detector =
                        LoadedModel.load(PreparedModels.centernet(), ModelKind.DETECTOR, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(
                        TestImages.rgb(TestImages.crop(image, 0, 0, w, h, CenterNet.SIZE)),
                        1,
                        CenterNet.SIZE,
                        CenterNet.SIZE);
                Result result = detector.call(Map.of(ModelContract.INPUT, input))) {
            float[] boxes =
                    TestImages.values((TFloat32) result.get(ModelContract.BOXES).orElseThrow());
            float[] scores = TestImages.values(
                    (TFloat32) result.get(ModelContract.SCORES).orElseThrow());
            int top = 0;
            for (int i = 1; i < scores.length; i++) {
                top = scores[i] > scores[top] ? i : top;
            }
            best = scores[top];
            double sx = (double) w / CenterNet.SIZE;
            double sy = (double) h / CenterNet.SIZE;
            box = new float[] {
                (float) (boxes[top * 4] * sx),
                (float) (boxes[top * 4 + 1] * sy),
                (float) (boxes[top * 4 + 2] * sx),
                (float) (boxes[top * 4 + 3] * sy)
            };
        }
        System.out.printf(
                "CenterNet on messi5.jpg (%dx%d): person %.3f at [%.0f, %.0f, %.0f, %.0f]%n",
                w, h, best, box[0], box[1], box[2], box[3]);
        // CenterNet's scores run low (@vladmandic/human keeps objects above 0.2); the player is its top hit.
        assertThat(best).as("person score").isGreaterThan(0.3f);
        assertThat(iou(box, PLAYER))
                .as("overlap with the hand-marked player box")
                .isGreaterThan(0.8);
        float bw = box[2] - box[0];
        float bh = box[3] - box[1];

        // Pose: a square crop around the box, 1.25x its longer side, scaled to 256.
        double side = 1.25 * Math.max(bw, bh);
        double cx = (box[0] + box[2]) / 2 - side / 2;
        double cy = (box[1] + box[3]) / 2 - side / 2;
        double[][] keypoints = new double[CocoKeypoints.COUNT][3];
        int size = MoveNet.THUNDER.size();
        try (LoadedModel pose = LoadedModel.load(PreparedModels.movenet(), ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(
                        TestImages.rgb(TestImages.crop(image, cx, cy, side, side, size)), 1, size, size);
                Result result = pose.call(Map.of(ModelContract.INPUT, input))) {
            // x, y in crop pixels and the score, per keypoint: back to photo pixels through the crop's scale.
            float[] decoded = TestImages.values(
                    (TFloat32) result.get(ModelContract.KEYPOINTS).orElseThrow());
            double scale = side / size;
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                keypoints[k][0] = cx + decoded[k * 3] * scale;
                keypoints[k][1] = cy + decoded[k * 3 + 1] * scale;
                keypoints[k][2] = decoded[k * 3 + 2];
            }
        }
        double margin = 0.1 * Math.max(bw, bh);
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            System.out.printf(
                    "  %-15s (%.0f, %.0f) %.2f%n",
                    CocoKeypoints.NAMES.get(k), keypoints[k][0], keypoints[k][1], keypoints[k][2]);
            assertThat(keypoints[k][0])
                    .as(CocoKeypoints.NAMES.get(k) + " x")
                    .isBetween(box[0] - margin, box[2] + margin);
            assertThat(keypoints[k][1])
                    .as(CocoKeypoints.NAMES.get(k) + " y")
                    .isBetween(box[1] - margin, box[3] + margin);
        }
        double head = meanY(keypoints, 0, 1, 2, 3, 4);
        double shoulders = meanY(keypoints, 5, 6);
        double hips = meanY(keypoints, 11, 12);
        double knees = meanY(keypoints, 13, 14);
        double ankles = meanY(keypoints, 15, 16);
        assertThat(head).as("head above shoulders").isLessThan(shoulders);
        assertThat(shoulders).as("shoulders above hips").isLessThan(hips);
        assertThat(hips).as("hips above knees").isLessThan(knees);
        assertThat(knees).as("knees above ankles").isLessThan(ankles);
        assertThat(keypoints[0][2]).as("nose confidence").isGreaterThan(0.3);
        assertThat(Math.min(keypoints[11][2], keypoints[12][2]))
                .as("hip confidence")
                .isGreaterThan(0.3);
    }

    private static double iou(float[] a, float[] b) {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = iw * ih;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return inter / union;
    }

    private static double meanY(double[][] keypoints, int... indices) {
        double sum = 0;
        for (int i : indices) {
            sum += keypoints[i][1];
        }
        return sum / indices.length;
    }
}
