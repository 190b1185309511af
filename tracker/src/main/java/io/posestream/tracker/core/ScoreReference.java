package io.posestream.tracker.core;

import java.util.Arrays;

/**
 * A camera's reference person score: a high quantile of the person scores its recent detections had, kept as a
 * histogram whose weights decay with every new detection (about the last {@value #HORIZON} count). Score
 * thresholds are fractions of it, so they follow whatever scale the detector and pose models give, and how
 * large people appear in this camera, instead of assuming one. Deterministic, so instances sharing cameras agree.
 */
public final class ScoreReference {
    /** Histogram bins over [0, 1]. */
    static final int BINS = 50;
    /** Detections after which an old one weighs 1/e. */
    static final double HORIZON = 500;

    private final double[] weights;

    public ScoreReference() {
        this(new double[BINS]);
    }

    ScoreReference(double[] weights) {
        if (weights.length != BINS) {
            throw new IllegalArgumentException("a score histogram has " + BINS + " bins, got " + weights.length);
        }
        this.weights = weights;
    }

    /** Takes the person scores of one frame's detections. */
    public void observe(double[] scores) {
        if (scores.length == 0) {
            return;
        }
        double decay = Math.pow(1 - 1 / HORIZON, scores.length);
        for (int b = 0; b < BINS; b++) {
            weights[b] *= decay;
        }
        for (double score : scores) {
            weights[bin(score)] += 1;
        }
    }

    /**
     * The {@code q}-quantile of the recent scores, interpolated within its bin; 0 before any detection (then every
     * fraction of it is 0 and any detection passes, which only happens when there is none to pass).
     */
    public double quantile(double q) {
        double total = Arrays.stream(weights).sum();
        if (total <= 0) {
            return 0;
        }
        double target = q * total;
        double below = 0;
        for (int b = 0; b < BINS; b++) {
            if (below + weights[b] >= target && weights[b] > 0) {
                return (b + (target - below) / weights[b]) / BINS;
            }
            below += weights[b];
        }
        return 1;
    }

    private static int bin(double score) {
        return Math.max(0, Math.min(BINS - 1, (int) (score * BINS)));
    }

    /** The histogram weights, for the state store. */
    double[] weights() {
        return weights;
    }
}
