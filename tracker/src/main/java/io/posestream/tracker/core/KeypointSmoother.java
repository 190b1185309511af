package io.posestream.tracker.core;

import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Track.SmoothedPose;

/**
 * Steadies a track's keypoints over time. Each keypoint is split into the person's position, as the motion filter
 * measured it this frame (the median displacement of the confident keypoints, see {@link KalmanMotion}), and its
 * offset from that position; only the offset is smoothed, so a walking person's keypoints do not trail behind, while
 * jitter of the joints relative to the body is filtered. The offsets go through a One-Euro filter (Casiez, Roussel
 * and Vogel, CHI 2012) by capture time: a low cutoff while a joint is still relative to the body, rising with its
 * speed. An offset that jumps further than {@code smoothingOutlier} body heights from its filtered value is taken
 * as a detection error once (the filtered offset is published instead); a second jump in a row is taken as real.
 *
 * <p>A keypoint scoring below the keypoint threshold is passed through as it came and its filter restarts when it
 * is seen again; the whole filter restarts when a track is born or re-identified after being lost, so a person is
 * never smoothed across a gap. Speeds and distances are in body heights, so the same settings suit small and large
 * people.
 */
public final class KeypointSmoother {
    /** Cutoff of the speed estimate itself (the filter authors' usual value). */
    private static final double SPEED_CUTOFF_HZ = 1.0;
    /** Jumps taken as detection errors in a row before a jump is believed. */
    private static final int MAX_REJECTED = 1;

    private final TrackerConfig config;

    public KeypointSmoother(TrackerConfig config) {
        this.config = config;
    }

    /** Forgets the track's history: the next pose is taken as it comes. */
    public void reset(Track track) {
        track.smoothed.valid = false;
    }

    /**
     * Filters {@code detection}, the track's match at {@code timeMs}, and returns the smoothed pose: smoothed
     * keypoints, the detection's scores, box and person score. Call after the motion filter took the detection (its
     * measured position is the reference) and before the lifecycle records the hit (the previous pose and time are
     * needed).
     */
    public Pose smooth(Track track, Pose detection, long timeMs) {
        SmoothedPose s = track.smoothed;
        double elapsed = (timeMs - track.lastSeenMs) / 1000.0;
        boolean restart = !s.valid || elapsed <= 0;
        double ax = track.motion.anchorX;
        double ay = track.motion.anchorY;
        double height = Math.max(1, track.motion.anchorH);
        double threshold = config.keypointThreshold();
        double outlier = config.smoothingOutlier() * height;
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] scores = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double ox = detection.x(k) - ax;
            double oy = detection.y(k) - ay;
            scores[k] = detection.score(k);
            boolean seenBefore = !restart && track.pose.score(k) >= threshold;
            if (restart || detection.score(k) < threshold || !seenBefore) {
                s.x[k] = ox;
                s.y[k] = oy;
                s.vx[k] = 0;
                s.vy[k] = 0;
                s.rejected[k] = 0;
            } else if (outlier > 0 && Math.hypot(ox - s.x[k], oy - s.y[k]) > outlier && s.rejected[k] < MAX_REJECTED) {
                s.rejected[k]++;
            } else {
                s.rejected[k] = 0;
                double speedAlpha = alpha(elapsed, SPEED_CUTOFF_HZ);
                s.vx[k] = speedAlpha * (ox - s.x[k]) / elapsed + (1 - speedAlpha) * s.vx[k];
                s.vy[k] = speedAlpha * (oy - s.y[k]) / elapsed + (1 - speedAlpha) * s.vy[k];
                double speed = Math.hypot(s.vx[k], s.vy[k]) / height;
                double a = alpha(elapsed, config.smoothingMinCutoffHz() + config.smoothingBeta() * speed);
                s.x[k] = a * ox + (1 - a) * s.x[k];
                s.y[k] = a * oy + (1 - a) * s.y[k];
            }
            x[k] = ax + s.x[k];
            y[k] = ay + s.y[k];
        }
        s.valid = true;
        return new Pose(x, y, scores, detection.box(), detection.personScore());
    }

    /**
     * The pose the track last published (its smoothed keypoints, with the scores, box and person score of its last
     * match), moved by {@code dx}, {@code dy} pixels: where a consumer that saw the published pose expects the person
     * now. The last matched pose moved the same way when nothing was smoothed yet.
     */
    public Pose publishedMoved(Track track, double dx, double dy) {
        Pose last = track.pose;
        if (!track.smoothed.valid) {
            return last.translate(dx, dy);
        }
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] scores = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            x[k] = track.motion.anchorX + track.smoothed.x[k] + dx;
            y[k] = track.motion.anchorY + track.smoothed.y[k] + dy;
            scores[k] = last.score(k);
        }
        return new Pose(x, y, scores, last.box().translate(dx, dy), last.personScore());
    }

    /** Weight of the new sample of a first-order low-pass filter with this cutoff, after {@code elapsed} seconds. */
    static double alpha(double elapsed, double cutoffHz) {
        double tau = 1 / (2 * Math.PI * cutoffHz);
        return 1 / (1 + tau / elapsed);
    }
}
