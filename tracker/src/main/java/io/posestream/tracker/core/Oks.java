package io.posestream.tracker.core;

import io.posestream.schemas.CocoKeypoints;

/**
 * Object keypoint similarity as defined by the COCO keypoint evaluation: the mean over keypoints of
 * {@code exp(-d^2 / (2 s^2 k^2))} with {@code s^2} the object's area and {@code k = 2 sigma}. Between two
 * detections (rather than ground truth and a detection), a keypoint counts when both poses see it with at least
 * the given score.
 */
public final class Oks {
    private Oks() {}

    /**
     * OKS of {@code candidate} against {@code reference}, scaled by {@code area} (pixels squared). 0 when no
     * keypoint is confident in both.
     */
    public static double between(Pose reference, Pose candidate, double area, double keypointThreshold) {
        double scale = Math.max(area, 1.0);
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (reference.score(k) < keypointThreshold || candidate.score(k) < keypointThreshold) {
                continue;
            }
            double dx = reference.x(k) - candidate.x(k);
            double dy = reference.y(k) - candidate.y(k);
            double kappa = 2 * CocoKeypoints.oksSigma(k);
            sum += Math.exp(-(dx * dx + dy * dy) / (2 * scale * kappa * kappa));
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
