package io.posestream.tracker.core;

import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Track.MotionState;

/**
 * Constant-velocity Kalman filter of a person's position and body height, with time-based noise: between two
 * posed frames the uncertainty grows with the elapsed capture time (white-noise acceleration), so a gap of a
 * second after a skipped frame widens the gate by itself, and everything is in body heights, so a person 50 px
 * tall and one 300 px tall are gated alike.
 *
 * <p>The measured position is chained: a detection's position is the track's last measured position moved by the
 * mean displacement of the keypoints confident in both the last matched pose and the detection (the box centre's
 * displacement when fewer than 3 are). A partly hidden person's box shrinks to the visible part and its centre
 * jumps; the visible joints do not.
 */
public final class KalmanMotion {
    private static final int MIN_COMMON_KEYPOINTS = 3;
    /** Body height changes far more slowly than position: its noises are this fraction of the position's. */
    private static final double HEIGHT_NOISE_SHARE = 0.25;
    /** A height from the keypoints' spread is a little noisier than their mean position. */
    private static final double HEIGHT_MEASUREMENT_SHARE = 1.5;
    /**
     * Time constant (s) over which the chained height is drawn back to the detections' own box height. Chained
     * alone it is a random walk that leans upwards (noise only lengthens a keypoint's distance from the centre):
     * over a track of minutes on vtest.avi it wandered to hundreds of box heights, the gates, which are in body
     * heights, grew over the whole picture, and such a track hopped from person to person without ever expiring.
     */
    private static final double HEIGHT_ANCHOR_SECONDS = 2.0;

    private final TrackerConfig config;

    public KalmanMotion(TrackerConfig config) {
        this.config = config;
    }

    /** Where a track is expected at a time: position and height, and the innovation variance of each. */
    public record Prediction(double x, double y, double h, double dx, double dy, double sx, double sy, double sh) {}

    /** Starts a new track's filter at its first detection: known position, unknown velocity. */
    public void start(Track track) {
        MotionState m = track.motion;
        Bounds box = track.pose.box();
        double h = Math.max(1, box.height());
        m.anchorX = box.centreX();
        m.anchorY = box.centreY();
        m.anchorH = h;
        java.util.Arrays.fill(m.mean, 0);
        m.mean[MotionState.X] = m.anchorX;
        m.mean[MotionState.Y] = m.anchorY;
        m.mean[MotionState.H] = h;
        for (int axis = 0; axis < 3; axis++) {
            double r = measurementVariance(axis, h);
            double v = config.initialSpeed() * h * (axis == MotionState.H ? HEIGHT_NOISE_SHARE : 1);
            m.cov[3 * axis] = r;
            m.cov[3 * axis + 1] = 0;
            m.cov[3 * axis + 2] = v * v;
        }
    }

    /**
     * The track's expected position and height at {@code timeMs}, and how uncertain a measurement there is. The
     * position moves for at most {@code horizonMs} after the track was last seen; the uncertainty keeps growing.
     */
    public Prediction predict(Track track, long timeMs, double horizonMs) {
        MotionState m = track.motion;
        double elapsed = Math.max(0, timeMs - track.lastSeenMs) / 1000.0;
        double moved = Math.min(elapsed, horizonMs / 1000.0);
        double h = Math.max(1, m.mean[MotionState.H]);
        double[] out = new double[6];
        for (int axis = 0; axis < 3; axis++) {
            double pp = predictedPositionVariance(m, axis, elapsed, h);
            out[axis] = m.mean[axis] + m.mean[3 + axis] * moved;
            // Bounded: a track lost for long must not claim a person entering on the other side of the picture.
            double most = config.maxPositionUncertainty() * h;
            out[3 + axis] = Math.min(pp, most * most) + measurementVariance(axis, h);
        }
        return new Prediction(
                out[0],
                out[1],
                Math.max(1, out[2]),
                out[0] - m.mean[MotionState.X],
                out[1] - m.mean[MotionState.Y],
                out[3],
                out[4],
                out[5]);
    }

    /**
     * Squared Mahalanobis distance of {@code detection}'s position from the prediction {@code p} of {@code track}.
     * The height is not part of it: it changes with the pose (arms and legs swinging, bending), not only with
     * distance, and gating on it cost ID switches in crowds (docs/tracker.md).
     */
    public double distance2(Track track, Prediction p, Pose detection) {
        double[] z = measure(track, detection);
        double ex = z[0] - p.x();
        double ey = z[1] - p.y();
        return ex * ex / p.sx() + ey * ey / p.sy();
    }

    /** How far {@code detection}'s position lies from the prediction {@code p} of {@code track}, in body heights. */
    public double offset(Track track, Prediction p, Pose detection) {
        double[] z = measure(track, detection);
        return Math.hypot(z[0] - p.x(), z[1] - p.y()) / p.h();
    }

    /**
     * The track matched {@code detection} at {@code timeMs}: predict, then update with the measurement. Call before
     * the lifecycle records the hit (it needs the previous pose and time). After a gap with misses
     * ({@code reacquired}), the velocity is re-estimated from the two observations around the gap, as OC-SORT's
     * observation-centric re-update does: the filter's own velocity drifted while it had nothing to correct it.
     */
    public void update(Track track, Pose detection, long timeMs, boolean reacquired, double horizonMs) {
        MotionState m = track.motion;
        double elapsed = Math.max(0, timeMs - track.lastSeenMs) / 1000.0;
        double moved = Math.min(elapsed, horizonMs / 1000.0);
        double[] z = measure(track, detection);
        z[2] = anchoredHeight(z[2], detection.box().height(), elapsed);
        double h = Math.max(1, m.mean[MotionState.H]);
        double lastX = m.anchorX;
        double lastY = m.anchorY;
        for (int axis = 0; axis < 3; axis++) {
            int pv = 3 * axis;
            double pp = predictedPositionVariance(m, axis, elapsed, h);
            double q = processNoise(axis, h);
            double pvv = m.cov[pv + 1] + elapsed * m.cov[pv + 2] + q * elapsed * elapsed / 2;
            double vv = m.cov[pv + 2] + q * elapsed;
            double position = m.mean[axis] + m.mean[3 + axis] * moved;
            double velocity = m.mean[3 + axis];
            double s = pp + measurementVariance(axis, h);
            double kp = pp / s;
            double kv = pvv / s;
            double innovation = z[axis] - position;
            m.mean[axis] = position + kp * innovation;
            m.mean[3 + axis] = velocity + kv * innovation;
            m.cov[pv] = (1 - kp) * pp;
            m.cov[pv + 1] = (1 - kp) * pvv;
            m.cov[pv + 2] = vv - kv * pvv;
        }
        if (reacquired && elapsed > 0) {
            m.mean[MotionState.VX] = (z[0] - lastX) / elapsed;
            m.mean[MotionState.VY] = (z[1] - lastY) / elapsed;
        }
        m.anchorX = z[0];
        m.anchorY = z[1];
        m.anchorH = z[2];
    }

    /**
     * The detection's position and body height, both chained from the track's last measured ones: moved by the
     * median displacement and scaled by the median distance ratio (from their centre) of the keypoints confident in
     * both the last matched pose and the detection; by the boxes when fewer than 3 are. Medians, because about one
     * keypoint in fifteen of the default models on small people lands far off (docs/tracker.md).
     */
    double[] measure(Track track, Pose detection) {
        Pose last = track.pose;
        double threshold = config.keypointThreshold();
        int[] common = new int[CocoKeypoints.COUNT];
        int n = 0;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (detection.score(k) >= threshold && last.score(k) >= threshold) {
                common[n++] = k;
            }
        }
        double dx;
        double dy;
        double scale;
        if (n >= MIN_COMMON_KEYPOINTS) {
            double[] ddx = new double[n];
            double[] ddy = new double[n];
            for (int i = 0; i < n; i++) {
                ddx[i] = detection.x(common[i]) - last.x(common[i]);
                ddy[i] = detection.y(common[i]) - last.y(common[i]);
            }
            dx = median(ddx);
            dy = median(ddy);
            double[] lastX = new double[n];
            double[] lastY = new double[n];
            for (int i = 0; i < n; i++) {
                lastX[i] = last.x(common[i]);
                lastY[i] = last.y(common[i]);
            }
            double cx = median(lastX);
            double cy = median(lastY);
            double[] ratios = new double[n];
            int counted = 0;
            for (int i = 0; i < n; i++) {
                double before = Math.hypot(last.x(common[i]) - cx, last.y(common[i]) - cy);
                if (before > 0) {
                    double after = Math.hypot(detection.x(common[i]) - cx - dx, detection.y(common[i]) - cy - dy);
                    ratios[counted++] = after / before;
                }
            }
            scale = counted > 0 ? median(java.util.Arrays.copyOf(ratios, counted)) : 1;
        } else {
            dx = detection.box().centreX() - last.box().centreX();
            dy = detection.box().centreY() - last.box().centreY();
            scale = last.box().height() > 0
                    ? detection.box().height() / last.box().height()
                    : 1;
        }
        MotionState m = track.motion;
        return new double[] {m.anchorX + dx, m.anchorY + dy, Math.max(1, m.anchorH * scale)};
    }

    /**
     * The chained height {@code chained} drawn toward the detection's box height {@code boxHeight} by the share of
     * {@link #HEIGHT_ANCHOR_SECONDS} that {@code elapsed} seconds make: a box cut short for a moment (a person
     * passing behind another) moves it little, while the chain's errors cannot add up over a long track.
     */
    static double anchoredHeight(double chained, double boxHeight, double elapsed) {
        if (!(boxHeight >= 1) || !(elapsed > 0)) {
            return chained;
        }
        double w = 1 - Math.exp(-elapsed / HEIGHT_ANCHOR_SECONDS);
        return Math.exp((1 - w) * Math.log(chained) + w * Math.log(boxHeight));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private double predictedPositionVariance(MotionState m, int axis, double elapsed, double h) {
        int pv = 3 * axis;
        double q = processNoise(axis, h);
        return m.cov[pv]
                + 2 * elapsed * m.cov[pv + 1]
                + elapsed * elapsed * m.cov[pv + 2]
                + q * elapsed * elapsed * elapsed / 3;
    }

    private double processNoise(int axis, double h) {
        double a = config.accelerationNoise() * h * (axis == MotionState.H ? HEIGHT_NOISE_SHARE : 1);
        return a * a;
    }

    private double measurementVariance(int axis, double h) {
        double r = config.positionNoise() * h * (axis == MotionState.H ? HEIGHT_MEASUREMENT_SHARE : 1);
        return r * r;
    }
}
