package io.posestream.tracker.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.OfflineReplay;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluator;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {

    @Test
    void theSameSeedGivesTheSameScene() {
        var a = new SceneGenerator(Scenario.CROWD, 4).generate();
        var b = new SceneGenerator(Scenario.CROWD, 4).generate();
        assertThat(a.detections().root()).isEqualTo(b.detections().root());
        assertThat(a.groundTruth().root()).isEqualTo(b.groundTruth().root());
        assertThat(new SceneGenerator(Scenario.CROWD, 5).generate().detections().root())
                .isNotEqualTo(a.detections().root());
    }

    @Test
    void groundTruthHasTrackIdsAndDetectionsHaveNone() {
        var scene = new SceneGenerator(Scenario.CROWD, 1).generate();
        assertThat(scene.groundTruth().root().get("annotations").findValues("track_id").stream()
                        .map(n -> n.asLong())
                        .distinct()
                        .count())
                .isEqualTo(15);
        assertThat(scene.detections().root().get("annotations").findValues("track_id"))
                .isEmpty();
        assertThat(scene.detections().videos()).hasSize(1);
    }

    @Test
    void theOcclusionScenarioHidesSomeoneForAboutASecond() {
        var scene = new SceneGenerator(Scenario.OCCLUSION, 1).generate();
        // Frames in which person 2 has fewer than 6 visible joints (so no detection) while in the picture.
        long hidden = scene.groundTruth().videos().values().iterator().next().stream()
                .filter(frame -> frame.annotations().stream()
                        .noneMatch(a -> a.get("track_id").asLong() == 2 && visible(a) >= 6))
                .count();
        assertThat(hidden).isBetween(15L, 60L);
    }

    @Test
    void replayOfTheGroundTruthPosesScoresPerfectly() {
        // Tracking the ground truth itself: every joint matched, no switches.
        var scene = new SceneGenerator(Scenario.WALKING, 2).generate();
        PoseTrackData gt = scene.groundTruth();
        PoseTrackData tracked =
                OfflineReplay.run(gt, () -> new PoseTracker(TrackerConfig.DEFAULTS.withMinHits(1)), SceneGenerator.FPS);
        var result = new TrackingEvaluator(0.3).evaluate(gt, tracked);
        assertThat(result.idSwitches()).isZero();
        assertThat(result.total().falsePositives()).isZero();
    }

    @Test
    void calibratedScenesArePosedAtLowIrregularRatesWithSmallPeopleAndModestScores() {
        var scene = new SceneGenerator(Scenario.STREET_CROWD, 1).generate();
        var frames = scene.detections().videos().values().iterator().next();
        java.util.List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < frames.size(); i++) {
            gaps.add(frames.get(i).timestampMs() - frames.get(i - 1).timestampMs());
        }
        double meanGap = gaps.stream().mapToLong(Long::longValue).average().orElseThrow();
        assertThat(meanGap).isBetween(400.0, 700.0);
        assertThat(gaps.stream().distinct().count()).isGreaterThan(3);
        assertThat(gaps).allMatch(g -> g >= 100 && g <= 1600);
        var heights = scene.groundTruth().root().get("annotations").findValues("bbox").stream()
                .mapToDouble(b -> b.get(3).asDouble())
                .filter(h -> h > 30) // whole people, not those cut by the picture's edge
                .summaryStatistics();
        assertThat(heights.getMax()).isLessThanOrEqualTo(130);
        assertThat(heights.getMin()).isGreaterThanOrEqualTo(30);
        var scores = scene.detections().root().get("annotations").findValues("score").stream()
                .mapToDouble(com.fasterxml.jackson.databind.JsonNode::asDouble)
                .summaryStatistics();
        assertThat(scores.getMax()).isLessThan(0.6);
        // Clutter: detections far below the people's scores in most frames.
        assertThat(scene.detections().root().get("annotations").findValues("score").stream()
                        .filter(v -> v.asDouble() < 0.14)
                        .count())
                .isGreaterThan(frames.size());
    }

    @Test
    void unknownScenarioNamesTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.byName("nope")).hasMessageContaining("crossing");
    }

    private static int visible(com.fasterxml.jackson.databind.JsonNode annotation) {
        int count = 0;
        for (int k = 0; k < 17; k++) {
            count += annotation.get("keypoints").get(3 * k + 2).asDouble() > 0 ? 1 : 0;
        }
        return count;
    }
}
