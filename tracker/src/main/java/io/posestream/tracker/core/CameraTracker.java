package io.posestream.tracker.core;

import java.util.List;
import java.util.Optional;

/**
 * Everything the tracker keeps for one camera: the {@link PoseTracker}, the last sequence number and capture time
 * seen, and counters of what was dropped. Frames whose sequence number is not greater than the last one are
 * duplicates or late (at-least-once upstream, retries) and are dropped, so they can never create phantom tracks.
 */
public final class CameraTracker {
    /** Sequence number before any frame was seen. */
    public static final long NO_SEQ = Long.MIN_VALUE;

    private final PoseTracker tracker;
    private long lastSeq;
    private long lastTimeMs;
    private long droppedFrames;
    private long skippedFrames;

    public CameraTracker(TrackerConfig config) {
        this(new PoseTracker(config), NO_SEQ, Long.MIN_VALUE, 0, 0);
    }

    CameraTracker(PoseTracker tracker, long lastSeq, long lastTimeMs, long droppedFrames, long skippedFrames) {
        this.tracker = tracker;
        this.lastSeq = lastSeq;
        this.lastTimeMs = lastTimeMs;
        this.droppedFrames = droppedFrames;
        this.skippedFrames = skippedFrames;
    }

    /**
     * Takes one frame. Returns empty when the frame is dropped (sequence number not greater than the last seen);
     * otherwise the tracks after it, including those removed in this frame (state REMOVED, reported this once).
     * For a frame without detections to match ({@code posed == false}, e.g. skipped as stale upstream) time still
     * moves on and lost tracks expire, but nothing is matched or missed: the result holds only the tracks removed.
     */
    public Optional<List<TrackedPose>> accept(long seq, long captureTimeMs, boolean posed, List<Pose> detections) {
        if (lastSeq != NO_SEQ && seq <= lastSeq) {
            droppedFrames++;
            return Optional.empty();
        }
        lastSeq = seq;
        // A clock step backwards on the camera must not rewind the tracks' timers.
        long timeMs = lastTimeMs == Long.MIN_VALUE ? captureTimeMs : Math.max(lastTimeMs, captureTimeMs);
        lastTimeMs = timeMs;
        if (!posed) {
            skippedFrames++;
            return Optional.of(tracker.advance(timeMs));
        }
        return Optional.of(tracker.update(timeMs, detections));
    }

    public PoseTracker tracker() {
        return tracker;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long lastTimeMs() {
        return lastTimeMs;
    }

    /** Duplicate or out-of-order frames dropped so far. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** Frames that came without detections to match (skipped or undecodable upstream). */
    public long skippedFrames() {
        return skippedFrames;
    }
}
