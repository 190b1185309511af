package io.posestream.tracker.core;

/**
 * One track as it stands after a frame.
 *
 * @param trackId   id, unique per camera and never reused
 * @param phase     lifecycle state after this frame; REMOVED only in the frame where the track ends
 * @param pose      the matched detection as it came, the motion prediction when the track is LOST, the last matched
 *                  pose when it is REMOVED
 * @param smoothed  what to publish: the matched detection with its keypoints smoothed over time (the same as
 *                  {@code pose} when smoothing is off or the track is not matched)
 * @param vx        velocity in pixels per second
 * @param vy        velocity in pixels per second
 * @param age       posed frames since the track was born
 * @param detection index of the matched detection in the frame's input, -1 when unmatched
 */
public record TrackedPose(
        long trackId, TrackPhase phase, Pose pose, Pose smoothed, double vx, double vy, int age, int detection) {
    public boolean matched() {
        return detection >= 0;
    }
}
