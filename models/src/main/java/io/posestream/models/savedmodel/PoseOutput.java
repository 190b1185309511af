package io.posestream.models.savedmodel;

/**
 * What a pose model outputs, and so how the worker turns its output into keypoints.
 *
 * <ul>
 *   <li>{@link #HEATMAPS}: {@code heatmaps} float32 {@code [N,H/stride,W/stride,K]}, one map per keypoint; the worker
 *       decodes them (argmax, quarter-cell shift) as HRNet's evaluation does.</li>
 *   <li>{@link #KEYPOINTS}: {@code keypoints} float32 {@code [N,K,3]}, each row x, y, score with x and y in pixels of
 *       the model input (the crop); for a model that decodes itself, such as MoveNet with its centre weighting and
 *       offset regression.</li>
 * </ul>
 */
public enum PoseOutput {
    HEATMAPS,
    KEYPOINTS
}
