package io.posestream.tracker.core;

/**
 * Every threshold of the tracker in one place. {@link #DEFAULTS} holds the documented defaults
 * (docs/tracker.md); the compact constructor refuses bad values, naming the setting.
 *
 * <p>Person-score thresholds are fractions of the camera's <em>reference score</em> ({@link ScoreReference}: a
 * high quantile of the person scores the camera produced recently), not absolute scores: the scale of a person
 * score depends on the detector, the pose model and how large people appear in the picture, and the tracker must
 * not silently depend on any of them.
 *
 * @param minHits             matches a TENTATIVE track needs (its birth included, not necessarily in consecutive
 *                            posed frames) to become CONFIRMED
 * @param tentativeMaxMisses  posed frames in a row a TENTATIVE track may miss; one more and it is REMOVED
 * @param tentativeMaxLostMs  capture time a TENTATIVE track may go unmatched before it is REMOVED
 * @param maxLostMs           capture time a LOST track is kept for re-association before it is REMOVED
 * @param minLostFrames       however slowly a camera's frames are posed, a LOST track waits at least this many of its
 *                            mean posed intervals (and a TENTATIVE one {@code tentativeMaxMisses} of them): at a
 *                            posed frame every 3 s, a 3 s window would end a track at its first miss
 * @param scoreQuantile       quantile of recent person scores that is the camera's reference score
 * @param highScore           fraction of the reference score from which a detection takes part in the first pass
 * @param lowScore            fraction of the reference score from which a detection takes part in the second
 *                            (low-score) pass; detections below are ignored
 * @param newTrackScore       fraction of the reference score a detection needs to start a new track
 * @param minSimilarity       gate of the first pass: least similarity for a track-detection pair
 * @param lowMinSimilarity    gate of the second pass (stricter: low scores are often false positives)
 * @param oksWeight           weight of OKS in the similarity; the motion likelihood gets {@code 1 - oksWeight}
 * @param keypointThreshold   keypoint score from which a keypoint counts in OKS and in the measured displacement
 * @param positionNoise       standard deviation of a measured position and height, in body heights
 * @param accelerationNoise   standard deviation of the acceleration the motion model allows, in body heights/s^2
 * @param initialSpeed        standard deviation of a new track's unknown velocity, in body heights/s
 * @param motionGate          largest squared Mahalanobis distance (position) of a pair
 * @param maxPositionUncertainty largest standard deviation of a predicted position, in body heights: however long a
 *                            track has been lost, it looks for its person no further than about
 *                            {@code sqrt(motionGate)} times this from where it expects them
 * @param maxPredictionMs     longest time the motion model extrapolates the position, or {@code minLostFrames} and a
 *                            half posed intervals on a camera posed slower than that (at most twice this); beyond
 *                            it a track stays put
 *                            (its uncertainty keeps growing)
 * @param smoothingMinCutoffHz One-Euro filter cutoff of a still keypoint; 0 turns keypoint smoothing off
 * @param smoothingBeta       One-Euro speed coefficient, per body height per second
 * @param smoothingOutlier    a keypoint jumping further than this (body heights) from its smoothed place is taken
 *                            as a detection error once; 0 believes every jump
 * @param lowMaxHeightRatio   in the second (low-score) pass, a detection whose box is more than this many times
 *                            taller or shorter than the track's last box is not the track's person (clutter near a
 *                            person scores like a half-hidden one)
 * @param reportLostFrames    a confirmed track that missed up to this many posed frames in a row is still reported
 *                            (offline output, {@link PoseTracker#reported}) at its motion prediction; 0 reports
 *                            matched tracks only
 * @param appearanceWeight    weight of the clothing's colours (the detections' appearance descriptors, when they
 *                            have them) in the similarity of a pair inside the motion gate; 0 ignores them
 * @param reidWindowMs        how long past its lost window a lost track whose colours are known stays DORMANT (out
 *                            of the events) to be found again by its colours; 0 removes it at the lost window
 * @param minReferenceScore   the least reference score: on a camera that has seen only clutter (an empty street's
 *                            bag or post) the reference would be the clutter's own score and the clutter tracked
 */
public record TrackerConfig(
        int minHits,
        int tentativeMaxMisses,
        long tentativeMaxLostMs,
        long maxLostMs,
        int minLostFrames,
        double scoreQuantile,
        double highScore,
        double lowScore,
        double newTrackScore,
        double minSimilarity,
        double lowMinSimilarity,
        double oksWeight,
        double keypointThreshold,
        double positionNoise,
        double accelerationNoise,
        double initialSpeed,
        double motionGate,
        double maxPositionUncertainty,
        long maxPredictionMs,
        double smoothingMinCutoffHz,
        double smoothingBeta,
        double smoothingOutlier,
        double lowMaxHeightRatio,
        int reportLostFrames,
        double appearanceWeight,
        long reidWindowMs,
        double minReferenceScore) {

    public static final TrackerConfig DEFAULTS = new TrackerConfig(
            2, 1, 1000, 3000, 2, 0.9, 0.4, 0.3, 0.4, 0.1, 0.3, 0.3, 0.3, 0.015, 0.5, 1.0, 13.8, 0.5, 1500, 1.0, 4.0,
            0.15, 2.0, 1, 1.0, 3000, 0.3);

    public TrackerConfig {
        require(minHits >= 1, "minHits", minHits, "at least 1");
        require(tentativeMaxMisses >= 0, "tentativeMaxMisses", tentativeMaxMisses, "0 or more");
        require(tentativeMaxLostMs >= 0, "tentativeMaxLostMs", tentativeMaxLostMs, "0 or more");
        require(maxLostMs >= 0, "maxLostMs", maxLostMs, "0 or more");
        require(minLostFrames >= 0, "minLostFrames", minLostFrames, "0 or more");
        require(scoreQuantile > 0 && scoreQuantile <= 1, "scoreQuantile", scoreQuantile, "in (0, 1]");
        unit("highScore", highScore);
        unit("lowScore", lowScore);
        unit("newTrackScore", newTrackScore);
        require(lowScore <= highScore, "lowScore", lowScore, "at most highScore (" + highScore + ")");
        unit("minSimilarity", minSimilarity);
        unit("lowMinSimilarity", lowMinSimilarity);
        unit("oksWeight", oksWeight);
        unit("keypointThreshold", keypointThreshold);
        require(positionNoise > 0, "positionNoise", positionNoise, "above 0");
        require(accelerationNoise > 0, "accelerationNoise", accelerationNoise, "above 0");
        require(initialSpeed > 0, "initialSpeed", initialSpeed, "above 0");
        require(motionGate > 0, "motionGate", motionGate, "above 0");
        require(maxPositionUncertainty > 0, "maxPositionUncertainty", maxPositionUncertainty, "above 0");
        require(maxPredictionMs >= 0, "maxPredictionMs", maxPredictionMs, "0 or more");
        require(smoothingMinCutoffHz >= 0, "smoothingMinCutoffHz", smoothingMinCutoffHz, "0 (off) or more");
        require(smoothingBeta >= 0, "smoothingBeta", smoothingBeta, "0 or more");
        require(smoothingOutlier >= 0, "smoothingOutlier", smoothingOutlier, "0 (off) or more");
        require(lowMaxHeightRatio >= 1, "lowMaxHeightRatio", lowMaxHeightRatio, "1 or more");
        require(reportLostFrames >= 0, "reportLostFrames", reportLostFrames, "0 or more");
        unit("appearanceWeight", appearanceWeight);
        require(reidWindowMs >= 0, "reidWindowMs", reidWindowMs, "0 (off) or more");
        unit("minReferenceScore", minReferenceScore);
    }

    /** Whether keypoints are smoothed over time. */
    public boolean smoothing() {
        return smoothingMinCutoffHz > 0;
    }

    private static void unit(String name, double value) {
        require(value >= 0 && value <= 1, name, value, "in [0, 1]");
    }

    private static void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("tracker setting " + name + " = " + value + " must be " + rule);
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrackerConfig withMinHits(int value) {
        return toBuilder().minHits(value).build();
    }

    public TrackerConfig withMaxLostMs(long value) {
        return toBuilder().maxLostMs(value).build();
    }

    /** Changes some settings of a config; {@link #build()} validates the result. */
    public static final class Builder {
        private int minHits;
        private int tentativeMaxMisses;
        private long tentativeMaxLostMs;
        private long maxLostMs;
        private int minLostFrames;
        private double scoreQuantile;
        private double highScore;
        private double lowScore;
        private double newTrackScore;
        private double minSimilarity;
        private double lowMinSimilarity;
        private double oksWeight;
        private double keypointThreshold;
        private double positionNoise;
        private double accelerationNoise;
        private double initialSpeed;
        private double motionGate;
        private double maxPositionUncertainty;
        private long maxPredictionMs;
        private double smoothingMinCutoffHz;
        private double smoothingBeta;
        private double smoothingOutlier;
        private double lowMaxHeightRatio;
        private int reportLostFrames;
        private double appearanceWeight;
        private long reidWindowMs;
        private double minReferenceScore;

        private Builder(TrackerConfig c) {
            minHits = c.minHits;
            tentativeMaxMisses = c.tentativeMaxMisses;
            tentativeMaxLostMs = c.tentativeMaxLostMs;
            maxLostMs = c.maxLostMs;
            minLostFrames = c.minLostFrames;
            scoreQuantile = c.scoreQuantile;
            highScore = c.highScore;
            lowScore = c.lowScore;
            newTrackScore = c.newTrackScore;
            minSimilarity = c.minSimilarity;
            lowMinSimilarity = c.lowMinSimilarity;
            oksWeight = c.oksWeight;
            keypointThreshold = c.keypointThreshold;
            positionNoise = c.positionNoise;
            accelerationNoise = c.accelerationNoise;
            initialSpeed = c.initialSpeed;
            motionGate = c.motionGate;
            maxPositionUncertainty = c.maxPositionUncertainty;
            maxPredictionMs = c.maxPredictionMs;
            smoothingMinCutoffHz = c.smoothingMinCutoffHz;
            smoothingBeta = c.smoothingBeta;
            smoothingOutlier = c.smoothingOutlier;
            lowMaxHeightRatio = c.lowMaxHeightRatio;
            reportLostFrames = c.reportLostFrames;
            appearanceWeight = c.appearanceWeight;
            reidWindowMs = c.reidWindowMs;
            minReferenceScore = c.minReferenceScore;
        }

        public Builder minHits(int v) {
            minHits = v;
            return this;
        }

        public Builder tentativeMaxMisses(int v) {
            tentativeMaxMisses = v;
            return this;
        }

        public Builder tentativeMaxLostMs(long v) {
            tentativeMaxLostMs = v;
            return this;
        }

        public Builder maxLostMs(long v) {
            maxLostMs = v;
            return this;
        }

        public Builder minLostFrames(int v) {
            minLostFrames = v;
            return this;
        }

        public Builder scoreQuantile(double v) {
            scoreQuantile = v;
            return this;
        }

        public Builder highScore(double v) {
            highScore = v;
            return this;
        }

        public Builder lowScore(double v) {
            lowScore = v;
            return this;
        }

        public Builder newTrackScore(double v) {
            newTrackScore = v;
            return this;
        }

        public Builder minSimilarity(double v) {
            minSimilarity = v;
            return this;
        }

        public Builder lowMinSimilarity(double v) {
            lowMinSimilarity = v;
            return this;
        }

        public Builder oksWeight(double v) {
            oksWeight = v;
            return this;
        }

        public Builder keypointThreshold(double v) {
            keypointThreshold = v;
            return this;
        }

        public Builder positionNoise(double v) {
            positionNoise = v;
            return this;
        }

        public Builder accelerationNoise(double v) {
            accelerationNoise = v;
            return this;
        }

        public Builder initialSpeed(double v) {
            initialSpeed = v;
            return this;
        }

        public Builder motionGate(double v) {
            motionGate = v;
            return this;
        }

        public Builder maxPositionUncertainty(double v) {
            maxPositionUncertainty = v;
            return this;
        }

        public Builder smoothingOutlier(double v) {
            smoothingOutlier = v;
            return this;
        }

        public Builder maxPredictionMs(long v) {
            maxPredictionMs = v;
            return this;
        }

        public Builder smoothingMinCutoffHz(double v) {
            smoothingMinCutoffHz = v;
            return this;
        }

        public Builder smoothingBeta(double v) {
            smoothingBeta = v;
            return this;
        }

        public Builder lowMaxHeightRatio(double v) {
            lowMaxHeightRatio = v;
            return this;
        }

        public Builder reportLostFrames(int v) {
            reportLostFrames = v;
            return this;
        }

        public Builder appearanceWeight(double v) {
            appearanceWeight = v;
            return this;
        }

        public Builder reidWindowMs(long v) {
            reidWindowMs = v;
            return this;
        }

        public Builder minReferenceScore(double v) {
            minReferenceScore = v;
            return this;
        }

        public TrackerConfig build() {
            return new TrackerConfig(
                    minHits,
                    tentativeMaxMisses,
                    tentativeMaxLostMs,
                    maxLostMs,
                    minLostFrames,
                    scoreQuantile,
                    highScore,
                    lowScore,
                    newTrackScore,
                    minSimilarity,
                    lowMinSimilarity,
                    oksWeight,
                    keypointThreshold,
                    positionNoise,
                    accelerationNoise,
                    initialSpeed,
                    motionGate,
                    maxPositionUncertainty,
                    maxPredictionMs,
                    smoothingMinCutoffHz,
                    smoothingBeta,
                    smoothingOutlier,
                    lowMaxHeightRatio,
                    reportLostFrames,
                    appearanceWeight,
                    reidWindowMs,
                    minReferenceScore);
        }
    }
}
