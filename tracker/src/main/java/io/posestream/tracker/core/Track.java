package io.posestream.tracker.core;

/** The state of one track: identity, lifecycle, last matched pose and motion. Mutated only by the tracker. */
public final class Track {
    final long id;
    TrackPhase phase;
    int hits;
    int age;
    long lastSeenMs;
    Pose pose;
    double vx;
    double vy;

    Track(long id, TrackPhase phase, int hits, int age, long lastSeenMs, Pose pose, double vx, double vy) {
        this.id = id;
        this.phase = phase;
        this.hits = hits;
        this.age = age;
        this.lastSeenMs = lastSeenMs;
        this.pose = pose;
        this.vx = vx;
        this.vy = vy;
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

    public long lastSeenMs() {
        return lastSeenMs;
    }

    /** The last matched pose. */
    public Pose pose() {
        return pose;
    }

    /** Box-centre velocity in pixels per second. */
    public double vx() {
        return vx;
    }

    public double vy() {
        return vy;
    }
}
