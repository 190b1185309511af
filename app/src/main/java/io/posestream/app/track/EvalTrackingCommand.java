package io.posestream.app.track;

import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluator;
import io.posestream.tracker.synth.QualityComparison;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posestream eval-tracking}: PoseTrack metrics of predicted tracks against ground truth. */
@Command(
        name = "eval-tracking",
        mixinStandardHelpOptions = true,
        description = "PoseTrack-style tracking metrics per joint and in total: MOTA, MOTP, precision, recall, "
                + "ID switches, IDF1 (a joint matches within 0.5 head sizes). The last lines are 'MOTA: x' and "
                + "'IDF1: y' (percent).")
public final class EvalTrackingCommand implements Callable<Integer> {
    @Option(names = "--gt", required = true, paramLabel = "GT.json", description = "Ground truth with track_id.")
    Path gt;

    @Option(names = "--pred", required = true, paramLabel = "PRED.json", description = "Predictions with track_id.")
    Path pred;

    @Option(
            names = "--joint-threshold",
            description = "Predicted keypoints scoring below this do not count " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "" + QualityComparison.JOINT_SCORE_THRESHOLD)
    double jointThreshold;

    @Mixin
    FrameRateOption frameRate;

    @Override
    public Integer call() {
        new TrackingEvaluator(jointThreshold)
                .evaluate(PoseTrackData.read(gt, frameRate.fps()), PoseTrackData.read(pred, frameRate.fps()))
                .print(System.out);
        return 0;
    }
}
