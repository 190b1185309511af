package io.posestream.schemas;

import java.util.List;

/**
 * The COCO-17 keypoint contract every stage shares: order and names, left/right pairs for flipping, the OKS
 * per-keypoint sigmas of the COCO evaluation, and the limbs a skeleton is drawn with.
 */
public final class CocoKeypoints {
    public static final int COUNT = 17;

    public static final List<String> NAMES = List.of(
            "nose",
            "left_eye",
            "right_eye",
            "left_ear",
            "right_ear",
            "left_shoulder",
            "right_shoulder",
            "left_elbow",
            "right_elbow",
            "left_wrist",
            "right_wrist",
            "left_hip",
            "right_hip",
            "left_knee",
            "right_knee",
            "left_ankle",
            "right_ankle");

    /** Left/right index pairs swapped by a horizontal flip. */
    public static final List<List<Integer>> FLIP_PAIRS = List.of(
            List.of(1, 2),
            List.of(3, 4),
            List.of(5, 6),
            List.of(7, 8),
            List.of(9, 10),
            List.of(11, 12),
            List.of(13, 14),
            List.of(15, 16));

    /** Per-keypoint sigmas of COCO's OKS (cocoapi {@code COCOeval.computeOks}). */
    private static final double[] OKS_SIGMAS = {
        .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89
    };

    /** Skeleton edges as keypoint index pairs (COCO's skeleton, zero-based). */
    public static final List<List<Integer>> LIMBS = List.of(
            List.of(15, 13),
            List.of(13, 11),
            List.of(16, 14),
            List.of(14, 12),
            List.of(11, 12),
            List.of(5, 11),
            List.of(6, 12),
            List.of(5, 6),
            List.of(5, 7),
            List.of(6, 8),
            List.of(7, 9),
            List.of(8, 10),
            List.of(1, 2),
            List.of(0, 1),
            List.of(0, 2),
            List.of(1, 3),
            List.of(2, 4),
            List.of(3, 5),
            List.of(4, 6));

    private CocoKeypoints() {}

    /** The OKS sigma of keypoint {@code index}, divided by 10 as cocoapi stores them (e.g. 0.026 for the nose). */
    public static double oksSigma(int index) {
        return OKS_SIGMAS[index] / 10.0;
    }

    /** The keypoint index a horizontal flip maps {@code index} to. */
    public static int flipped(int index) {
        for (List<Integer> pair : FLIP_PAIRS) {
            if (pair.get(0) == index) {
                return pair.get(1);
            }
            if (pair.get(1) == index) {
                return pair.get(0);
            }
        }
        return index;
    }
}
