package io.posestream.inference.postprocess;

/**
 * Horizontal flip test-time augmentation: run the model on mirrored crops too and average the two heatmaps.
 *
 * <p>Mirrors HRNet's {@code core/function.py validate} with {@code TEST.FLIP_TEST}: the input is flipped along its
 * width ({@code input.flip(3)}), the flipped output is brought back with {@code utils/transforms.py flip_back}
 * (mirror, then swap left/right joints), optionally shifted one column right ({@code TEST.SHIFT_HEATMAP}, because
 * the mirrored feature grid is misaligned by one cell), and averaged with the plain output. The published HRNet
 * COCO numbers are with flip test and shift on. All arrays are NHWC.
 *
 * <p>A model that outputs keypoints instead of heatmaps (MoveNet) is merged the same way on its keypoints
 * ({@link #mergeFlippedKeypoints}): mirrored x brought back, left and right swapped, coordinates and scores averaged.
 */
public final class FlipAugmentation {

    private FlipAugmentation() {}

    /**
     * A new array holding each of the {@code batch} NHWC images mirrored left-right.
     */
    public static float[] flipInput(float[] images, int batch, int height, int width, int channels) {
        checkShape("images", images, batch, height, width, channels);
        float[] out = new float[images.length];
        int row = width * channels;
        for (int r = 0; r < batch * height; r++) {
            int rowStart = r * row;
            for (int x = 0; x < width; x++) {
                System.arraycopy(images, rowStart + (width - 1 - x) * channels, out, rowStart + x * channels, channels);
            }
        }
        return out;
    }

    /**
     * Averages the plain heatmaps with the flipped model output brought back to the plain orientation, writing the
     * result into {@code heatmaps}; {@code flippedHeatmaps} is left untouched.
     *
     * @param heatmaps        model output for the plain crops, NHWC; overwritten with the average
     * @param flippedHeatmaps model output for the mirrored crops, NHWC, same shape
     * @param flipPairs       left/right channel pairs, e.g. COCO's {1,2},{3,4},...; each channel in at most one pair
     * @param shiftHeatmap    HRNet's {@code SHIFT_HEATMAP}: column x takes column x-1 of the flipped-back output
     *                        (column 0 keeps its own value)
     */
    public static void mergeFlipped(
            float[] heatmaps,
            float[] flippedHeatmaps,
            int batch,
            int height,
            int width,
            int channels,
            int[][] flipPairs,
            boolean shiftHeatmap) {
        checkShape("heatmaps", heatmaps, batch, height, width, channels);
        checkShape("flippedHeatmaps", flippedHeatmaps, batch, height, width, channels);
        int[] sourceChannel = sourceChannels(flipPairs, channels);
        int row = width * channels;
        for (int r = 0; r < batch * height; r++) {
            int rowStart = r * row;
            for (int x = 0; x < width; x++) {
                // Flipped-back column x is mirrored column W-1-x; the shift makes column x read flipped-back x-1.
                int backX = shiftHeatmap && x > 0 ? x - 1 : x;
                int srcBase = rowStart + (width - 1 - backX) * channels;
                int dstBase = rowStart + x * channels;
                for (int k = 0; k < channels; k++) {
                    heatmaps[dstBase + k] =
                            (heatmaps[dstBase + k] + flippedHeatmaps[srcBase + sourceChannel[k]]) * 0.5f;
                }
            }
        }
    }

    /**
     * Averages the plain keypoints with those of the mirrored crops brought back, writing the result into
     * {@code keypoints}; {@code flippedKeypoints} is left untouched. Each keypoint is a row (x, y, score) with x in
     * pixels of a crop {@code width} wide, in continuous coordinates where the crop spans [0, width] (MoveNet's [0,1]
     * times the width), so x on the mirrored crop is {@code width - x} on the plain one.
     *
     * @param keypoints        {@code [batch, count, 3]} for the plain crops; overwritten with the average
     * @param flippedKeypoints {@code [batch, count, 3]} for the mirrored crops
     * @param flipPairs        left/right keypoint pairs
     */
    public static void mergeFlippedKeypoints(
            float[] keypoints, float[] flippedKeypoints, int batch, int count, int width, int[][] flipPairs) {
        checkShape("keypoints", keypoints, batch, count, 3, 1);
        checkShape("flippedKeypoints", flippedKeypoints, batch, count, 3, 1);
        int[] source = sourceChannels(flipPairs, count);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < count; k++) {
                int dst = (b * count + k) * 3;
                int src = (b * count + source[k]) * 3;
                keypoints[dst] = (keypoints[dst] + (width - flippedKeypoints[src])) * 0.5f;
                keypoints[dst + 1] = (keypoints[dst + 1] + flippedKeypoints[src + 1]) * 0.5f;
                keypoints[dst + 2] = (keypoints[dst + 2] + flippedKeypoints[src + 2]) * 0.5f;
            }
        }
    }

    /** For each output channel, the channel of the flipped output it is taken from after the left/right swap. */
    private static int[] sourceChannels(int[][] flipPairs, int channels) {
        if (flipPairs == null) {
            throw new IllegalArgumentException("flipPairs must not be null (use an empty array for none)");
        }
        int[] source = new int[channels];
        for (int k = 0; k < channels; k++) {
            source[k] = k;
        }
        boolean[] used = new boolean[channels];
        for (int i = 0; i < flipPairs.length; i++) {
            int[] pair = flipPairs[i];
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException("flip pair " + i + " must hold exactly two channel indices");
            }
            for (int k : pair) {
                if (k < 0 || k >= channels) {
                    throw new IllegalArgumentException(
                            "flip pair " + i + " names channel " + k + ", outside [0, " + channels + ")");
                }
                // A channel in two pairs would make the result depend on swap order: a configuration error.
                if (used[k]) {
                    throw new IllegalArgumentException("flip pair " + i + " reuses channel " + k);
                }
                used[k] = true;
            }
            source[pair[0]] = pair[1];
            source[pair[1]] = pair[0];
        }
        return source;
    }

    private static void checkShape(String name, float[] array, int batch, int height, int width, int channels) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (batch <= 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "shape must be positive, got " + batch + "x" + height + "x" + width + "x" + channels);
        }
        long expected = (long) batch * height * width * channels;
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has length " + array.length + ", expected " + expected
                    + " for shape " + batch + "x" + height + "x" + width + "x" + channels);
        }
    }
}
