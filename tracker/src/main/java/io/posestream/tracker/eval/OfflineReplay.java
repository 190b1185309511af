package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.FrameTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.TrackedPose;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a tracker over a PoseTrack-style detections file, one fresh tracker per video, and returns the same file
 * with {@code track_id} set on the annotations the tracker reports, their keypoints as the tracker publishes them
 * (smoothed); detections it does not report (too low a score, tentative tracks) are left out, as a tracker's
 * output would.
 */
public final class OfflineReplay {
    private OfflineReplay() {}

    public static PoseTrackData run(PoseTrackData detections, Supplier<? extends FrameTracker> trackers, double fps) {
        List<ObjectNode> out = new ArrayList<>();
        for (List<PoseTrackData.FrameRecord> video : detections.videos().values()) {
            FrameTracker tracker = trackers.get();
            for (PoseTrackData.FrameRecord frame : video) {
                List<Pose> poses = new ArrayList<>();
                for (int a = 0; a < frame.annotations().size(); a++) {
                    poses.add(PoseTrackData.pose(frame.annotations().get(a), detections.where(frame, a)));
                }
                for (TrackedPose tracked : tracker.update(frame.timestampMs(), poses)) {
                    if (tracked.matched() && tracker.reported(tracked)) {
                        ObjectNode annotation =
                                frame.annotations().get(tracked.detection()).deepCopy();
                        annotation.put("track_id", tracked.trackId());
                        Pose published = tracked.smoothed();
                        if (published != tracked.pose()) {
                            var keypoints = annotation.putArray("keypoints");
                            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                                keypoints
                                        .add(published.x(k))
                                        .add(published.y(k))
                                        .add(published.score(k));
                            }
                        }
                        out.add(annotation);
                    }
                }
            }
        }
        return detections.withAnnotations(out, fps);
    }
}
