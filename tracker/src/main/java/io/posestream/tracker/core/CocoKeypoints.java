package io.posestream.tracker.core;

import java.util.List;

/** The COCO-17 keypoint order and the per-keypoint OKS falloff constants (sigmas) of the COCO evaluation. */
public final class CocoKeypoints {
    public static final int COUNT = 17;

    public static final List<String> NAMES = List.of("nose", "left_eye", "right_eye", "left_ear", "right_ear",
            "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
            "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle");

    /** COCO's sigmas (cocoeval.py), in the order above. */
    private static final double[] SIGMAS = {.26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87,
        .87, .89, .89};

    /** Limb pairs (0-based) for drawing, as in the COCO person category. */
    public static final int[][] SKELETON = {{15, 13}, {13, 11}, {16, 14}, {14, 12}, {11, 12}, {5, 11}, {6, 12},
        {5, 6}, {5, 7}, {6, 8}, {7, 9}, {8, 10}, {1, 2}, {0, 1}, {0, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 6}};

    private CocoKeypoints() {
    }

    public static double sigma(int keypoint) {
        return SIGMAS[keypoint] / 10.0;
    }
}
