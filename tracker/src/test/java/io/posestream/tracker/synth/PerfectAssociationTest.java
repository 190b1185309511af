package io.posestream.tracker.synth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PerfectAssociation;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluation;
import io.posestream.tracker.eval.TrackingEvaluator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detections' limit that bench tracker prints next to the tracker: each person detection under its true id. */
class PerfectAssociationTest {
    private final TrackingEvaluator evaluator = new TrackingEvaluator(QualityComparison.JOINT_SCORE_THRESHOLD);
    private final PerfectAssociation perfect = new PerfectAssociation(evaluator);

    @Test
    void everyPersonDetectionKeepsItsPersonsIdAndClutterIsLeftOut() {
        SceneGenerator.Scene scene = new SceneGenerator(Scenario.SIDE_BY_SIDE, 1).generate();
        PoseTrackData identified = perfect.of(scene.groundTruth(), scene.detections(), SceneGenerator.FPS);

        TrackingEvaluation result = evaluator.evaluate(scene.groundTruth(), identified);
        assertThat(result.personIdSwitches()).as("whole-person id switches").isZero();
        int detections = count(scene.detections());
        int kept = count(identified);
        // The calibrated scenes have two pieces of clutter in most frames and a few false positives.
        assertThat(kept).isLessThan(detections).isGreaterThan(detections / 2);
        // Each kept detection lies on the person whose id it got: at least half of that person's visible joints.
        Map<Long, Map<Long, ObjectNode>> truths = byImageAndId(scene.groundTruth());
        for (List<PoseTrackData.FrameRecord> video : identified.videos().values()) {
            for (PoseTrackData.FrameRecord frame : video) {
                for (ObjectNode detection : frame.annotations()) {
                    ObjectNode truth = truths.get(frame.imageId())
                            .get(detection.get("track_id").asLong());
                    assertThat(truth).isNotNull();
                    assertThat(evaluator.personCost(truth, "truth", detection, "detection"))
                            .isLessThanOrEqualTo(0.5);
                }
            }
        }
        // And it is the limit of a tracker reporting matched detections only: the default tracker's identity errors
        // put it below the perfect ids in IDF1 whenever it reports nothing through misses.
        QualityComparison.Row row = QualityComparison.run(
                        TrackerConfig.DEFAULTS.toBuilder().reportLostFrames(0).build(),
                        List.of(1L),
                        List.of(Scenario.SIDE_BY_SIDE))
                .get(0);
        assertThat(row.perfectIdf1()).isGreaterThan(row.trackerIdf1());
    }

    private static int count(PoseTrackData data) {
        return data.videos().values().stream()
                .flatMap(List::stream)
                .mapToInt(f -> f.annotations().size())
                .sum();
    }

    private static Map<Long, Map<Long, ObjectNode>> byImageAndId(PoseTrackData data) {
        Map<Long, Map<Long, ObjectNode>> out = new HashMap<>();
        data.videos()
                .values()
                .forEach(frames -> frames.forEach(f -> {
                    Map<Long, ObjectNode> ids = out.computeIfAbsent(f.imageId(), x -> new HashMap<>());
                    f.annotations().forEach(a -> ids.put(a.get("track_id").asLong(), a));
                }));
        return out;
    }
}
