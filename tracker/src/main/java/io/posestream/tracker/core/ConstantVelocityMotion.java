package io.posestream.tracker.core;

import io.posestream.schemas.CocoKeypoints;

/**
 * Constant-velocity motion of a track, the whole pose moving rigidly. The velocity is an exponentially smoothed
 * finite difference of matched poses (the mean displacement of keypoints confident in both, else of the box
 * centre); prediction is capped at
 * {@code maxPredictionMs} so a long-lost track waits near where it was last heading instead of drifting away.
 */
public final class ConstantVelocityMotion {
    private static final int MIN_COMMON_KEYPOINTS = 3;
    private final TrackerConfig config;

    public ConstantVelocityMotion(TrackerConfig config) {
        this.config = config;
    }

    /** Where the track's last pose is expected at {@code timeMs}. */
    public Pose predict(Track track, long timeMs) {
        long dt = Math.min(Math.max(0, timeMs - track.lastSeenMs), config.maxPredictionMs());
        if (dt == 0 || (track.vx == 0 && track.vy == 0)) {
            return track.pose;
        }
        double seconds = dt / 1000.0;
        return track.pose.translate(track.vx * seconds, track.vy * seconds);
    }

    /** Updates the velocity from the newly matched pose; call before the lifecycle records the hit. */
    public void observe(Track track, Pose matched, long timeMs) {
        long dt = timeMs - track.lastSeenMs;
        if (dt <= 0) {
            return;
        }
        double seconds = dt / 1000.0;
        // Displacement of the keypoints confident in both poses: a partly hidden person's box shrinks to the
        // visible part and its centre jumps, the visible joints do not.
        double dx = 0;
        double dy = 0;
        int common = 0;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (matched.score(k) >= config.keypointThreshold() && track.pose.score(k) >= config.keypointThreshold()) {
                dx += matched.x(k) - track.pose.x(k);
                dy += matched.y(k) - track.pose.y(k);
                common++;
            }
        }
        if (common >= MIN_COMMON_KEYPOINTS) {
            dx /= common;
            dy /= common;
        } else {
            dx = matched.box().centreX() - track.pose.box().centreX();
            dy = matched.box().centreY() - track.pose.box().centreY();
        }
        double mx = dx / seconds;
        double my = dy / seconds;
        double alpha = track.hits <= 1 ? 1.0 : config.velocitySmoothing();
        track.vx = alpha * mx + (1 - alpha) * track.vx;
        track.vy = alpha * my + (1 - alpha) * track.vy;
    }
}
