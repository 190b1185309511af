package io.posestream.analytics.streams;

import io.posestream.analytics.engine.FrameView;
import java.util.List;
import java.util.Map;

/**
 * A pose event as the analytics reads it: the engine's view of the frame, and per person of the event what an
 * activity event repeats of it beyond that view.
 *
 * @param details one per person of the event, in its order (also for a person the engine cannot use)
 * @param skipped people the engine cannot use, by their position in the event, with the reason
 */
record PoseEventView(String cameraId, FrameView frame, List<PersonDetails> details, Map<Integer, String> skipped) {
    PoseEventView {
        details = List.copyOf(details);
        skipped = Map.copyOf(skipped);
    }

    /** What a TrackedPerson carries besides the track, state, box and keypoints of {@code TrackedBody}. */
    record PersonDetails(float score, float vx, float vy, int age, Integer detectionIndex) {}
}
