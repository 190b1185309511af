package io.posestream.tracker.core;

import java.util.List;

/** Anything that links one camera's per-frame detections into tracks; offline replay runs any of them. */
public interface FrameTracker {
    /** Links the detections of the frame captured at {@code timeMs} (non-decreasing) to tracks. */
    List<TrackedPose> update(long timeMs, List<Pose> detections);

    /**
     * Whether offline output (replay, evaluation) should report this track in this frame, at its published pose; a
     * track reported without a matched detection is reported at its prediction ({@link TrackedPose#pose()}).
     */
    boolean reported(TrackedPose track);
}
