package io.posestream.inference.crops;

import io.posestream.inference.model.Detection;
import java.util.List;

/** What to do with one frame of a camera: run the person detector, or crop where the tracked persons now are. */
public sealed interface CropPlan {
    /** Why a frame gets the detector. */
    enum Reason {
        /** Tracking-driven crops are off. */
        EVERY_FRAME,
        /** The camera has no state on this worker (its first frame here, e.g. after its partition moved). */
        NO_STATE,
        /** The camera's detection interval (frames or milliseconds) is up. */
        INTERVAL,
        /** A tracked person's pose weakened on the previous frame (occluded, or leaving). */
        WEAK_POSE,
        /** A tracked person's box left the frame. */
        LEFT_FRAME,
        /** The picture changed outside the tracked persons: someone may have come in. */
        MOTION,
        /** Most of the picture changed. */
        SCENE_CHANGE,
        /** The frame is not newer than the camera's last one, or its size changed: the state does not fit it. */
        STATE_MISMATCH
    }

    /** Run the detector on the frame; {@code detail} says why in words. */
    record Detect(Reason reason, String detail) implements CropPlan {}

    /** Crop each region without running the detector; an empty list poses nothing (nobody tracked, nothing moved). */
    record Track(List<Region> regions) implements CropPlan {
        public Track {
            regions = List.copyOf(regions);
        }
    }

    /**
     * Where a tracked person is expected in this frame.
     *
     * @param person the person's number in its camera's state, to hand back with the pose
     * @param box    the region to crop, source pixels, with the person's last detector score
     */
    record Region(int person, Detection box) {}

    default boolean detects() {
        return this instanceof Detect;
    }
}
