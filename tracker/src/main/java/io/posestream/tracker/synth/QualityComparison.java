package io.posestream.tracker.synth;

import io.posestream.tracker.core.GreedyOksTracker;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.OfflineReplay;
import io.posestream.tracker.eval.PerfectAssociation;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluation;
import io.posestream.tracker.eval.TrackingEvaluator;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker next to the greedy OKS baseline on every synthetic scenario and several seeds, with the same
 * detections and the same evaluation for both. The baseline keeps detections from the tracker's
 * {@code newTrackScore} up, so both start from the same confident detections. Next to both, the detections' limit
 * ({@link PerfectAssociation}): every person detection with its true id.
 */
public final class QualityComparison {
    /** OKS threshold of the greedy baseline (the usual toolkit value). */
    public static final double BASELINE_MIN_OKS = 0.3;
    /** Predicted joints below this score are not predicted, for both trackers. */
    public static final double JOINT_SCORE_THRESHOLD = 0.3;

    /**
     * Mean MOTA and IDF1 over seeds (the perfect association's too); joint ID switches summed over seeds; person ID
     * switches per minute over all seeds' minutes.
     */
    public record Row(
            Scenario scenario,
            int seeds,
            double trackerMota,
            double baselineMota,
            double perfectMota,
            double trackerIdf1,
            double baselineIdf1,
            double perfectIdf1,
            long trackerIdSwitches,
            long baselineIdSwitches,
            double trackerSwitchesPerMinute,
            double baselineSwitchesPerMinute) {
        public boolean trackerBetter() {
            return trackerMota > baselineMota && trackerIdf1 > baselineIdf1;
        }
    }

    private QualityComparison() {}

    public static List<Row> run(TrackerConfig config, List<Long> seeds) {
        return run(config, seeds, List.of(Scenario.values()));
    }

    public static List<Row> run(TrackerConfig config, List<Long> seeds, List<Scenario> scenarios) {
        TrackingEvaluator evaluator = new TrackingEvaluator(JOINT_SCORE_THRESHOLD);
        PerfectAssociation perfect = new PerfectAssociation(evaluator);
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            double[] sums = new double[6];
            long[] switches = new long[2];
            long[] personSwitches = new long[2];
            double minutes = 0;
            for (long seed : seeds) {
                SceneGenerator.Scene scene = new SceneGenerator(scenario, seed).generate();
                PoseTrackData ours =
                        OfflineReplay.run(scene.detections(), () -> new PoseTracker(config), SceneGenerator.FPS);
                PoseTrackData baseline = OfflineReplay.run(
                        scene.detections(), () -> new GreedyOksTracker(BASELINE_MIN_OKS, config), SceneGenerator.FPS);
                TrackingEvaluation a = evaluator.evaluate(scene.groundTruth(), ours);
                TrackingEvaluation b = evaluator.evaluate(scene.groundTruth(), baseline);
                TrackingEvaluation c = evaluator.evaluate(
                        scene.groundTruth(), perfect.of(scene.groundTruth(), scene.detections(), SceneGenerator.FPS));
                sums[0] += a.mota();
                sums[1] += b.mota();
                sums[2] += a.idf1();
                sums[3] += b.idf1();
                sums[4] += c.mota();
                sums[5] += c.idf1();
                switches[0] += a.idSwitches();
                switches[1] += b.idSwitches();
                personSwitches[0] += a.personIdSwitches();
                personSwitches[1] += b.personIdSwitches();
                minutes += a.minutes();
            }
            int n = seeds.size();
            rows.add(new Row(
                    scenario,
                    n,
                    sums[0] / n,
                    sums[1] / n,
                    sums[4] / n,
                    sums[2] / n,
                    sums[3] / n,
                    sums[5] / n,
                    switches[0],
                    switches[1],
                    personSwitches[0] / minutes,
                    personSwitches[1] / minutes));
        }
        return rows;
    }
}
