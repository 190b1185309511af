package io.posestream.inference.postprocess;

/**
 * K keypoints of one person: coordinates and confidences, index {@code k} in each array being keypoint {@code k}.
 *
 * <p>The arrays are held as given, not copied: this sits on the per-frame hot path and is produced and consumed
 * within the inference worker. Coordinates are in whatever space the producer states (heatmap cells from
 * {@link HeatmapDecoder#decode}, source pixels from {@link HeatmapDecoder#toSource}).
 *
 * @param x      keypoint x coordinates
 * @param y      keypoint y coordinates
 * @param scores keypoint confidences (the heatmap maximum, as HRNet's {@code maxvals})
 */
public record DecodedPose(float[] x, float[] y, float[] scores) {

    public DecodedPose {
        if (x == null || y == null || scores == null) {
            throw new IllegalArgumentException("x, y and scores must not be null");
        }
        if (x.length != y.length || x.length != scores.length) {
            throw new IllegalArgumentException("x, y and scores must have equal lengths, got " + x.length + ", "
                    + y.length + ", " + scores.length);
        }
    }

    /** The number of keypoints K. */
    public int size() {
        return x.length;
    }
}
