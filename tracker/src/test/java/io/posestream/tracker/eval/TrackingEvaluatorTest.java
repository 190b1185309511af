package io.posestream.tracker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiny cases whose MOTA, MOTP and IDF1 were worked out by hand (in the comments). */
class TrackingEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A body 75 px tall gives a head size of 0.6 * sqrt(2) * 75 / 7.5 = 8.485 px; the threshold is 4.243 px. */
    private static final double BODY_HEIGHT = 75;

    private final TrackingEvaluator evaluator = new TrackingEvaluator(0.3);

    @Test
    void oneIdSwitchAndOneFalsePositive() {
        // Nose only. GT person 1 at (100,100) in frames 1..3. Predictions: id 7, 7, then 8, plus a stray id 9.
        PoseTrackData gt = data(3, List.of(nose(1, 1, 100, 100), nose(2, 1, 100, 100), nose(3, 1, 100, 100)));
        PoseTrackData pred = data(
                3, List.of(nose(1, 7, 101, 100), nose(2, 7, 100, 101), nose(3, 8, 100, 100), nose(3, 9, 300, 300)));
        TrackingEvaluation result = evaluator.evaluate(gt, pred);
        JointScores nose = result.joints().get(0);
        assertThat(nose.groundTruth()).isEqualTo(3);
        assertThat(nose.matches()).isEqualTo(3);
        assertThat(nose.misses()).isZero();
        assertThat(nose.falsePositives()).isEqualTo(1);
        assertThat(nose.idSwitches()).isEqualTo(1);
        // MOTA = 1 - (0 + 1 + 1) / 3 = 33.33 %
        assertThat(result.mota()).isCloseTo(100.0 / 3, within(1e-9));
        // IDTP: GT 1 paired with 7 shares 2 frames. IDF1 = 2 * 2 / (3 GT + 4 predicted) = 57.14 %
        assertThat(result.idf1()).isCloseTo(400.0 / 7, within(1e-9));
        // MOTP = 1 - mean(1/8.485, 1/8.485, 0) = 92.14 %
        double head = 0.6 * Math.sqrt(2) * BODY_HEIGHT / 7.5;
        assertThat(result.total().motp()).isCloseTo(100 * (1 - (2 / head) / 3), within(1e-9));
        assertThat(result.total().precision()).isCloseTo(75, within(1e-9));
        assertThat(result.total().recall()).isCloseTo(100, within(1e-9));
    }

    @Test
    void swappedIdsCountTwoSwitches() {
        // Frame 1: A (id 1) and B (id 2) predicted as p1, p2; frame 2 the predictions swap ids.
        PoseTrackData gt = data(
                2, List.of(nose(1, 1, 100, 100), nose(1, 2, 200, 100), nose(2, 1, 102, 100), nose(2, 2, 198, 100)));
        PoseTrackData pred = data(
                2, List.of(nose(1, 11, 100, 100), nose(1, 12, 200, 100), nose(2, 11, 198, 100), nose(2, 12, 102, 100)));
        TrackingEvaluation result = evaluator.evaluate(gt, pred);
        // MOTA = 1 - 2 switches / 4 = 50 %; IDTP = 2 (either pairing shares one frame each): IDF1 = 4 / 8 = 50 %
        assertThat(result.idSwitches()).isEqualTo(2);
        assertThat(result.mota()).isCloseTo(50, within(1e-9));
        assertThat(result.idf1()).isCloseTo(50, within(1e-9));
    }

    @Test
    void crossingPeopleAreBothMatchedWhereAPerfectPairWouldDisplaceTwo() {
        // Distances in head sizes (8.485 px): g1-p1 0, g1-p2 0.4, g2-p1 0.4, g2-p2 0.8 (beyond 0.5). py-motmetrics
        // matches both people (maximum cardinality, then least cost): no miss, no false positive.
        double head = 0.6 * Math.sqrt(2) * BODY_HEIGHT / 7.5;
        PoseTrackData gt = data(1, List.of(nose(1, 1, 100, 100), nose(1, 2, 100 - 0.4 * head, 100)));
        PoseTrackData pred = data(1, List.of(nose(1, 11, 100, 100), nose(1, 12, 100 + 0.4 * head, 100)));
        TrackingEvaluation result = evaluator.evaluate(gt, pred);
        assertThat(result.total().matches()).isEqualTo(2);
        assertThat(result.total().misses()).isZero();
        assertThat(result.total().falsePositives()).isZero();
        assertThat(result.mota()).isCloseTo(100, within(1e-9));
        // MOTP = 1 - mean(0.4, 0.4) = 60 %
        assertThat(result.total().motp()).isCloseTo(60, within(1e-6));
    }

    @Test
    void firstFrameMatchesAsManyJointsAsBruteForceFinds() {
        java.util.Random random = new java.util.Random(5);
        double threshold = TrackingEvaluator.THRESHOLD * 0.6 * Math.sqrt(2) * BODY_HEIGHT / 7.5;
        for (int trial = 0; trial < 200; trial++) {
            List<double[]> truth = new java.util.ArrayList<>();
            List<double[]> predicted = new java.util.ArrayList<>();
            List<ObjectNode> gtNoses = new java.util.ArrayList<>();
            List<ObjectNode> predNoses = new java.util.ArrayList<>();
            for (int g = 0, n = 1 + random.nextInt(5); g < n; g++) {
                double[] p = {100 + random.nextDouble() * 12, 100 + random.nextDouble() * 6};
                truth.add(p);
                gtNoses.add(nose(1, g + 1, p[0], p[1]));
            }
            for (int h = 0, n = 1 + random.nextInt(5); h < n; h++) {
                double[] p = {100 + random.nextDouble() * 12, 100 + random.nextDouble() * 6};
                predicted.add(p);
                predNoses.add(nose(1, h + 101, p[0], p[1]));
            }
            JointScores nose = evaluator
                    .evaluate(data(1, gtNoses), data(1, predNoses))
                    .joints()
                    .get(0);
            int most = mostPairs(truth, predicted, threshold, 0, new boolean[predicted.size()]);
            assertThat(nose.matches()).as("trial %d", trial).isEqualTo(most);
            assertThat(nose.misses()).isEqualTo(truth.size() - most);
            assertThat(nose.falsePositives()).isEqualTo(predicted.size() - most);
        }
    }

    private static int mostPairs(
            List<double[]> truth, List<double[]> predicted, double threshold, int g, boolean[] used) {
        if (g == truth.size()) {
            return 0;
        }
        int best = mostPairs(truth, predicted, threshold, g + 1, used);
        for (int h = 0; h < predicted.size(); h++) {
            double d = Math.hypot(
                    truth.get(g)[0] - predicted.get(h)[0],
                    truth.get(g)[1] - predicted.get(h)[1]);
            if (!used[h] && d <= threshold) {
                used[h] = true;
                best = Math.max(best, 1 + mostPairs(truth, predicted, threshold, g + 1, used));
                used[h] = false;
            }
        }
        return best;
    }

    @Test
    void aJointBeyondHalfAHeadIsAMissAndAFalsePositive() {
        // 4.3 px away with a 4.243 px threshold: no match. MOTA = 1 - (1 + 1) / 1 = -100 %
        PoseTrackData gt = data(1, List.of(nose(1, 1, 100, 100)));
        PoseTrackData pred = data(1, List.of(nose(1, 5, 104.3, 100)));
        TrackingEvaluation result = evaluator.evaluate(gt, pred);
        assertThat(result.total().misses()).isEqualTo(1);
        assertThat(result.total().falsePositives()).isEqualTo(1);
        assertThat(result.mota()).isCloseTo(-100, within(1e-9));
        assertThat(result.idf1()).isZero();
        // 4.2 px is inside.
        assertThat(evaluator
                        .evaluate(gt, data(1, List.of(nose(1, 5, 104.2, 100))))
                        .mota())
                .isCloseTo(100, within(1e-9));
    }

    @Test
    void headSizeFromTheHeadBoxElseFromTheBodyHeight() {
        ObjectNode withHead = JSON.createObjectNode();
        withHead.putArray("bbox_head").add(0).add(0).add(30).add(40);
        assertThat(HeadSize.of(withHead, "x")).isCloseTo(0.6 * 50, within(1e-9));
        ObjectNode withBox = JSON.createObjectNode();
        withBox.putArray("bbox").add(0).add(0).add(30).add(150);
        assertThat(HeadSize.of(withBox, "x")).isCloseTo(0.6 * Math.sqrt(2) * 20, within(1e-9));
        assertThatThrownBy(() -> HeadSize.of(JSON.createObjectNode(), "gt.json: image 3, annotation 0"))
                .hasMessageContaining("gt.json: image 3, annotation 0");
    }

    @Test
    void printsMotaAndIdf1AsTheLastLines() {
        PoseTrackData gt = data(1, List.of(nose(1, 1, 100, 100)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        evaluator.evaluate(gt, gt).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[lines.length - 2]).isEqualTo("MOTA: 100.0");
        assertThat(lines[lines.length - 1]).isEqualTo("IDF1: 100.0");
    }

    @Test
    void predictionsWithoutTrackIdsAreRefusedNamingTheAnnotation() {
        PoseTrackData gt = data(1, List.of(nose(1, 1, 100, 100)));
        ObjectNode bad = nose(1, 1, 100, 100);
        bad.remove("track_id");
        assertThatThrownBy(() -> evaluator.evaluate(gt, data(1, List.of(bad))))
                .hasMessageContaining("image 1, annotation 0")
                .hasMessageContaining("track_id");
    }

    private static ObjectNode nose(long image, long trackId, double x, double y) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation.put("image_id", image).put("track_id", trackId);
        ArrayNode keypoints = annotation.putArray("keypoints");
        keypoints.add(x).add(y).add(1);
        for (int k = 1; k < 17; k++) {
            keypoints.add(0).add(0).add(0);
        }
        annotation.putArray("bbox").add(x - 10).add(y - 5).add(20).add(BODY_HEIGHT);
        return annotation;
    }

    private static PoseTrackData data(int frames, List<ObjectNode> annotations) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        for (int f = 1; f <= frames; f++) {
            images.addObject().put("id", f).put("vid_id", "v").put("frame_id", f);
        }
        ArrayNode array = root.putArray("annotations");
        annotations.forEach(array::add);
        return PoseTrackData.of(root, "test", 25);
    }
}
