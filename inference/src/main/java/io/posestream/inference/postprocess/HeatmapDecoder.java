package io.posestream.inference.postprocess;

import io.posestream.inference.geometry.AffineTransform;
import io.posestream.inference.geometry.CenterScale;

/**
 * Turns one person's keypoint heatmaps into keypoint coordinates and scores.
 *
 * <p>Mirrors HRNet's {@code core/inference.py}: {@code get_max_preds} (per-channel argmax and maximum, coordinates
 * zeroed where the maximum is not positive) followed by {@code get_final_preds} with {@code TEST.POST_PROCESS} on
 * (a quarter-cell shift towards the higher neighbour, which recovers part of the quantisation error of the
 * 4x-downsampled heatmap), and {@code transform_preds} for the way back to source pixels ({@link #toSource}). Being
 * the same maths as the official evaluation is what makes the published COCO AP of the checkpoint apply here.
 *
 * <p>Heatmaps are laid out NHWC, as a TensorFlow SavedModel returns them.
 */
public final class HeatmapDecoder {

    private HeatmapDecoder() {}

    /**
     * Decodes the heatmaps of the person whose block starts at {@code offset}: the value at (row {@code y}, column
     * {@code x}, channel {@code k}) is {@code heatmaps[offset + (y * width + x) * channels + k]}.
     *
     * @return K = {@code channels} keypoints in heatmap cells (column, row), scores = heatmap maxima
     */
    public static DecodedPose decode(float[] heatmaps, int offset, int height, int width, int channels) {
        if (heatmaps == null) {
            throw new IllegalArgumentException("heatmaps must not be null");
        }
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "heatmap shape must be positive, got " + height + "x" + width + "x" + channels);
        }
        long block = (long) height * width * channels;
        if (offset < 0 || offset + block > heatmaps.length) {
            throw new IllegalArgumentException("heatmap block [" + offset + ", " + (offset + block)
                    + ") lies outside an array of length " + heatmaps.length);
        }
        int cells = height * width;
        int[] argmax = new int[channels];
        float[] max = new float[channels];
        System.arraycopy(heatmaps, offset, max, 0, channels);
        // Cell-major scan follows the NHWC memory order; a strict '>' keeps the first maximum in row-major order,
        // as numpy's argmax does.
        for (int cell = 1; cell < cells; cell++) {
            int base = offset + cell * channels;
            for (int k = 0; k < channels; k++) {
                float v = heatmaps[base + k];
                if (v > max[k]) {
                    max[k] = v;
                    argmax[k] = cell;
                }
            }
        }

        float[] xs = new float[channels];
        float[] ys = new float[channels];
        for (int k = 0; k < channels; k++) {
            // get_max_preds: a channel with no positive response gets (0, 0); its score still says how weak it is.
            if (!(max[k] > 0)) {
                continue;
            }
            int px = argmax[k] % width;
            int py = argmax[k] / width;
            float x = px;
            float y = py;
            // get_final_preds rounds the (integer) argmax with floor(x + 0.5), which is px itself, and only shifts
            // when all four neighbours exist and the peak is not in the second row/column either (1 < px < W-1).
            if (1 < px && px < width - 1 && 1 < py && py < height - 1) {
                x += Math.signum(at(heatmaps, offset, width, channels, py, px + 1, k)
                                - at(heatmaps, offset, width, channels, py, px - 1, k))
                        * 0.25f;
                y += Math.signum(at(heatmaps, offset, width, channels, py + 1, px, k)
                                - at(heatmaps, offset, width, channels, py - 1, px, k))
                        * 0.25f;
            }
            xs[k] = x;
            ys[k] = y;
        }
        return new DecodedPose(xs, ys, max);
    }

    /**
     * Maps a pose from heatmap cells to source pixels through the inverse of
     * {@code AffineTransform.cropToOutput(region, heatmapWidth, heatmapHeight)}, as HRNet's {@code transform_preds}
     * does. Every keypoint is mapped, including the (0, 0) of an empty channel, exactly as HRNet does; scores are
     * copied unchanged. Any grid laid over the region works the same way: a model that outputs keypoints in pixels
     * of its input passes the input's width and height.
     */
    public static DecodedPose toSource(
            DecodedPose heatmapPose, CenterScale region, int heatmapWidth, int heatmapHeight) {
        if (heatmapPose == null) {
            throw new IllegalArgumentException("heatmapPose must not be null");
        }
        AffineTransform toSource = AffineTransform.cropToOutput(region, heatmapWidth, heatmapHeight)
                .inverse();
        int k = heatmapPose.size();
        float[] xs = new float[k];
        float[] ys = new float[k];
        for (int i = 0; i < k; i++) {
            double[] p = toSource.apply(heatmapPose.x()[i], heatmapPose.y()[i]);
            xs[i] = (float) p[0];
            ys[i] = (float) p[1];
        }
        return new DecodedPose(xs, ys, heatmapPose.scores().clone());
    }

    private static float at(float[] heatmaps, int offset, int width, int channels, int y, int x, int k) {
        return heatmaps[offset + (y * width + x) * channels + k];
    }
}
