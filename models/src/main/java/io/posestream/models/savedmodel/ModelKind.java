package io.posestream.models.savedmodel;

/** What a SavedModel does, and so which signature contract it must meet. */
public enum ModelKind {
    /** Crops in, keypoint heatmaps or keypoints out ({@link PoseOutput}). */
    POSE,
    /** Whole image in, person boxes with scores out. */
    DETECTOR
}
