package io.posestream.tracker.core;

/**
 * The state of one track: identity, lifecycle, last matched pose, motion filter and keypoint smoother. Mutated
 * only by the tracker and its parts ({@link TrackLifecycle}, {@link KalmanMotion}, {@link KeypointSmoother}).
 */
public final class Track {
    final long id;
    TrackPhase phase;
    int hits;
    int age;
    /** Posed frames missed in a row since the last match. */
    int misses;

    long lastSeenMs;
    /** The last matched detection, as it came. */
    Pose pose;
    /** Motion filter: the posterior at {@code lastSeenMs}, see {@link KalmanMotion}. */
    final MotionState motion;
    /** Smoothed keypoints and their speeds, see {@link KeypointSmoother}. */
    final SmoothedPose smoothed;
    /**
     * The colours of the person's clothing, a running mean of the matched detections' descriptors per region
     * ({@link TrackAppearance}); null until a matched detection had one.
     */
    float[] appearance;

    Track(long id, TrackPhase phase, int hits, int age, long lastSeenMs, Pose pose) {
        this(id, phase, hits, age, lastSeenMs, pose, new MotionState(), new SmoothedPose());
    }

    Track(
            long id,
            TrackPhase phase,
            int hits,
            int age,
            long lastSeenMs,
            Pose pose,
            MotionState motion,
            SmoothedPose smoothed) {
        this.id = id;
        this.phase = phase;
        this.hits = hits;
        this.age = age;
        this.lastSeenMs = lastSeenMs;
        this.pose = pose;
        this.motion = motion;
        this.smoothed = smoothed;
    }

    public long id() {
        return id;
    }

    public TrackPhase phase() {
        return phase;
    }

    public int hits() {
        return hits;
    }

    public int age() {
        return age;
    }

    /** Posed frames missed in a row since the last match. */
    public int misses() {
        return misses;
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    /** The last matched pose. */
    public Pose pose() {
        return pose;
    }

    /** The track's colour descriptor (a copy), or null while it has none. */
    public float[] appearance() {
        return appearance == null ? null : appearance.clone();
    }

    /** Velocity of the person in pixels per second (motion filter). */
    public double vx() {
        return motion.mean[MotionState.VX];
    }

    public double vy() {
        return motion.mean[MotionState.VY];
    }

    /**
     * A constant-velocity Kalman filter's posterior for the three measured quantities, each on its own axis with
     * its velocity: position x, y (pixels) and body height (pixels). The axes are independent (diagonal noise), so
     * each keeps a 2x2 covariance {pp, pv, vv}. {@code anchorX/Y/H} is the last measured position and height.
     */
    static final class MotionState {
        static final int X = 0;
        static final int Y = 1;
        static final int H = 2;
        static final int VX = 3;
        static final int VY = 4;
        static final int VH = 5;

        /** x, y, h, vx, vy, vh. */
        final double[] mean = new double[6];
        /** Per axis (x, y, h): pp, pv, vv. */
        final double[] cov = new double[9];

        double anchorX;
        double anchorY;
        double anchorH;
    }

    /**
     * The track's smoothed keypoint offsets from its measured position (x, y per joint), their filtered speeds
     * (pixels/s) and how many jumps in a row were taken as detection errors, as of {@code lastSeenMs}; {@code valid}
     * is false until the first smoothed frame and after a reset (see {@link KeypointSmoother}).
     */
    static final class SmoothedPose {
        final double[] x = new double[17];
        final double[] y = new double[17];
        final double[] vx = new double[17];
        final double[] vy = new double[17];
        final double[] rejected = new double[17];
        boolean valid;
    }
}
