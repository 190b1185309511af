package io.posestream.tracker.core;

/**
 * Every threshold of the tracker in one place. {@link #DEFAULTS} holds the documented defaults
 * (docs/tracker.md); the compact constructor refuses bad values, naming the setting.
 *
 * @param minHits             matches a TENTATIVE track needs (its birth included) to become CONFIRMED
 * @param maxLostMs           capture-time a LOST track is kept for re-association before it is REMOVED
 * @param highScore           person score from which a detection takes part in the first association pass
 * @param lowScore            person score from which a detection takes part in the second (low-score) pass;
 *                            detections below are ignored
 * @param newTrackScore       person score a detection needs to start a new track
 * @param minSimilarity       gate of the first pass: least similarity for a track-detection pair
 * @param lowMinSimilarity    gate of the second pass (stricter: low scores are often false positives)
 * @param oksWeight           weight of OKS in the similarity; box IoU gets {@code 1 - oksWeight}
 * @param keypointThreshold   keypoint score from which a keypoint counts in OKS
 * @param velocitySmoothing   weight of the newest velocity measurement (exponential smoothing, 0..1]
 * @param maxPredictionMs     longest time the motion model extrapolates; beyond it a track stays put
 */
public record TrackerConfig(
        int minHits,
        long maxLostMs,
        double highScore,
        double lowScore,
        double newTrackScore,
        double minSimilarity,
        double lowMinSimilarity,
        double oksWeight,
        double keypointThreshold,
        double velocitySmoothing,
        long maxPredictionMs) {

    public static final TrackerConfig DEFAULTS =
            new TrackerConfig(3, 2000, 0.5, 0.1, 0.6, 0.2, 0.4, 0.4, 0.3, 0.3, 1000);

    public TrackerConfig {
        require(minHits >= 1, "minHits", minHits, "at least 1");
        require(maxLostMs >= 0, "maxLostMs", maxLostMs, "0 or more");
        unit("highScore", highScore);
        unit("lowScore", lowScore);
        unit("newTrackScore", newTrackScore);
        require(lowScore <= highScore, "lowScore", lowScore, "at most highScore (" + highScore + ")");
        unit("minSimilarity", minSimilarity);
        unit("lowMinSimilarity", lowMinSimilarity);
        unit("oksWeight", oksWeight);
        unit("keypointThreshold", keypointThreshold);
        require(velocitySmoothing > 0 && velocitySmoothing <= 1, "velocitySmoothing", velocitySmoothing, "in (0, 1]");
        require(maxPredictionMs >= 0, "maxPredictionMs", maxPredictionMs, "0 or more");
    }

    private static void unit(String name, double value) {
        require(value >= 0 && value <= 1, name, value, "in [0, 1]");
    }

    private static void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("tracker setting " + name + " = " + value + " must be " + rule);
        }
    }

    public TrackerConfig withMinHits(int value) {
        return new TrackerConfig(
                value,
                maxLostMs,
                highScore,
                lowScore,
                newTrackScore,
                minSimilarity,
                lowMinSimilarity,
                oksWeight,
                keypointThreshold,
                velocitySmoothing,
                maxPredictionMs);
    }

    public TrackerConfig withMaxLostMs(long value) {
        return new TrackerConfig(
                minHits,
                value,
                highScore,
                lowScore,
                newTrackScore,
                minSimilarity,
                lowMinSimilarity,
                oksWeight,
                keypointThreshold,
                velocitySmoothing,
                maxPredictionMs);
    }
}
