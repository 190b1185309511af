package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 * output would. A track the tracker reports without a detection (a confirmed one that missed a frame) is added as an
 * annotation of its predicted pose with person score 0.
 */
public final class OfflineReplay {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

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
                    if (!tracker.reported(tracked)) {
                        continue;
                    }
                    ObjectNode annotation = tracked.matched()
                            ? frame.annotations().get(tracked.detection()).deepCopy()
                            : predicted(frame.imageId(), tracked.pose());
                    annotation.put("track_id", tracked.trackId());
                    Pose published = tracked.smoothed();
                    if (tracked.matched() && published != tracked.pose()) {
                        writeKeypoints(annotation, published);
                    }
                    out.add(annotation);
                }
            }
        }
        return detections.withAnnotations(out, fps);
    }

    /**
     * A track reported without a detection (it missed this frame): its predicted pose and box, with the keypoint
     * scores it was last seen with, and person score 0 (nothing was detected).
     */
    private static ObjectNode predicted(long imageId, Pose pose) {
        ObjectNode annotation = JSON.objectNode();
        annotation.put("image_id", imageId).put("category_id", 1);
        writeKeypoints(annotation, pose);
        annotation
                .putArray("bbox")
                .add(pose.box().x1())
                .add(pose.box().y1())
                .add(pose.box().width())
                .add(pose.box().height());
        annotation.put("score", 0.0);
        return annotation;
    }

    private static void writeKeypoints(ObjectNode annotation, Pose pose) {
        var keypoints = annotation.putArray("keypoints");
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints.add(pose.x(k)).add(pose.y(k)).add(pose.score(k));
        }
    }
}
