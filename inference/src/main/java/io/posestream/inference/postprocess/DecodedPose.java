package io.posestream.inference.postprocess;

import java.util.Arrays;

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

    // A value: two poses with the same coordinates and scores are equal, whatever arrays hold them.
    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedPose other
                && Arrays.equals(x, other.x)
                && Arrays.equals(y, other.y)
                && Arrays.equals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "DecodedPose[x=" + Arrays.toString(x) + ", y=" + Arrays.toString(y) + ", scores="
                + Arrays.toString(scores) + "]";
    }
}
