package io.posestream.inference.postprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy non-maximum suppression of person detector boxes by IoU.
 *
 * <p>HRNet's COCO numbers use precomputed detections already NMS-ed by the detector (HRNet's own
 * {@code nms/nms.py nms} is the same greedy scheme); a live detector's raw boxes need this step before cropping.
 * IoU uses the continuous areas {@code (x2-x1)*(y2-y1)} (no {@code +1}, unlike HRNet's {@code nms}), as detectors
 * producing float pixel boxes define it.
 */
public final class BoxNms {

    private BoxNms() {}

    /**
     * Indices of the boxes kept, best score first.
     *
     * @param boxes          flat {@code [D * 4]}: x1, y1, x2, y2 per box
     * @param scores         {@code [D]} detection scores; boxes scoring below {@code scoreThreshold}, or with a
     *                       non-finite score, are dropped, as are degenerate boxes ({@code x2 <= x1} or
     *                       {@code y2 <= y1}) and boxes with non-finite corners
     * @param iouThreshold   a box whose IoU with an already kept box exceeds this is suppressed
     * @param maxKeep        at most this many indices are returned, {@code >= 0}
     */
    public static int[] keep(float[] boxes, float[] scores, float scoreThreshold, float iouThreshold, int maxKeep) {
        if (boxes == null || scores == null) {
            throw new IllegalArgumentException("boxes and scores must not be null");
        }
        if (boxes.length != scores.length * 4) {
            throw new IllegalArgumentException(
                    "boxes has length " + boxes.length + ", expected 4 x " + scores.length + " scores");
        }
        if (Float.isNaN(scoreThreshold) || Float.isNaN(iouThreshold)) {
            throw new IllegalArgumentException("thresholds must not be NaN");
        }
        if (maxKeep < 0) {
            throw new IllegalArgumentException("maxKeep must be >= 0, got " + maxKeep);
        }

        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (Float.isFinite(scores[i]) && scores[i] >= scoreThreshold && isProper(boxes, i)) {
                candidates.add(i);
            }
        }
        // List.sort is stable, so equal scores keep the lower index first.
        candidates.sort((i, j) -> Float.compare(scores[j], scores[i]));

        int[] kept = new int[Math.min(maxKeep, candidates.size())];
        int count = 0;
        for (int i : candidates) {
            if (count == kept.length) {
                break;
            }
            boolean suppressed = false;
            for (int n = 0; n < count && !suppressed; n++) {
                suppressed = iou(boxes, kept[n], i) > iouThreshold;
            }
            if (!suppressed) {
                kept[count++] = i;
            }
        }
        return count == kept.length ? kept : Arrays.copyOf(kept, count);
    }

    private static boolean isProper(float[] boxes, int i) {
        float x1 = boxes[4 * i];
        float y1 = boxes[4 * i + 1];
        float x2 = boxes[4 * i + 2];
        float y2 = boxes[4 * i + 3];
        return Float.isFinite(x1)
                && Float.isFinite(y1)
                && Float.isFinite(x2)
                && Float.isFinite(y2)
                && x2 > x1
                && y2 > y1;
    }

    private static double iou(float[] boxes, int i, int j) {
        double ix1 = Math.max(boxes[4 * i], boxes[4 * j]);
        double iy1 = Math.max(boxes[4 * i + 1], boxes[4 * j + 1]);
        double ix2 = Math.min(boxes[4 * i + 2], boxes[4 * j + 2]);
        double iy2 = Math.min(boxes[4 * i + 3], boxes[4 * j + 3]);
        double inter = Math.max(0, ix2 - ix1) * Math.max(0, iy2 - iy1);
        return inter / (area(boxes, i) + area(boxes, j) - inter);
    }

    private static double area(float[] boxes, int i) {
        return ((double) boxes[4 * i + 2] - boxes[4 * i]) * ((double) boxes[4 * i + 3] - boxes[4 * i + 1]);
    }
}
