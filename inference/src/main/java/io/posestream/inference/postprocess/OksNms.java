package io.posestream.inference.postprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy non-maximum suppression of whole poses by Object Keypoint Similarity.
 *
 * <p>Mirrors HRNet's {@code nms/nms.py oks_nms} / {@code oks_iou} with {@code in_vis_thre=None}, which HRNet's
 * {@code COCODataset.evaluate} runs per image after rescoring (with {@code TEST.OKS_THRE} 0.9 in the published
 * configs). Two detector boxes on one person produce two near-identical poses that box NMS cannot see as duplicates
 * (the boxes may differ a lot); OKS compares the keypoints themselves, scaled by person size and per-keypoint
 * localisation tolerance (the COCO sigmas).
 */
public final class OksNms {

    /** numpy's {@code np.spacing(1)}: keeps the OKS denominator non-zero for zero areas. */
    private static final double EPS = Math.ulp(1.0);

    private OksNms() {}

    /**
     * Indices of the poses kept, best score first: poses are taken by descending score (equal scores keep the lower
     * index first, where numpy's reversed argsort has no defined order) and each is kept unless its OKS with an
     * already kept pose exceeds {@code threshold}.
     *
     * @param poses     the candidate poses in source pixels, each with {@code sigmas.length} keypoints
     * @param scores    a score per pose (HRNet uses the {@link PoseRescoring rescored} score)
     * @param areas     a person area per pose, square pixels ({@link io.posestream.inference.geometry.CenterScale#area})
     * @param sigmas    per-keypoint OKS sigmas (COCO's, divided by 10 as in {@code oks_iou})
     * @param threshold OKS above which the lower-scoring pose is dropped
     */
    public static int[] keep(
            List<DecodedPose> poses, float[] scores, double[] areas, double[] sigmas, double threshold) {
        if (poses == null || scores == null || areas == null || sigmas == null) {
            throw new IllegalArgumentException("poses, scores, areas and sigmas must not be null");
        }
        if (scores.length != poses.size() || areas.length != poses.size()) {
            throw new IllegalArgumentException("need one score and one area per pose, got " + poses.size() + " poses, "
                    + scores.length + " scores, " + areas.length + " areas");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must not be NaN");
        }
        for (double sigma : sigmas) {
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("sigmas must be finite and > 0, got " + sigma);
            }
        }
        for (int i = 0; i < poses.size(); i++) {
            DecodedPose pose = poses.get(i);
            if (pose == null || pose.size() != sigmas.length) {
                throw new IllegalArgumentException("pose " + i + " must have " + sigmas.length + " keypoints, got "
                        + (pose == null ? "null" : pose.size()));
            }
            if (!(areas[i] >= 0) || !Double.isFinite(areas[i])) {
                throw new IllegalArgumentException("area of pose " + i + " must be finite and >= 0, got " + areas[i]);
            }
        }

        List<Integer> order = new ArrayList<>(poses.size());
        for (int i = 0; i < poses.size(); i++) {
            order.add(i);
        }
        // Stable sort: ties keep the lower index first.
        order.sort((i, j) -> Float.compare(scores[j], scores[i]));

        // Keeping a pose iff its OKS with every earlier kept pose is <= threshold is what oks_nms's repeated
        // filtering of the remaining order amounts to.
        int[] kept = new int[poses.size()];
        int count = 0;
        for (int i : order) {
            boolean suppressed = false;
            for (int n = 0; n < count && !suppressed; n++) {
                int j = kept[n];
                suppressed = oks(poses.get(j), poses.get(i), areas[j], areas[i], sigmas) > threshold;
            }
            if (!suppressed) {
                kept[count++] = i;
            }
        }
        int[] result = new int[count];
        System.arraycopy(kept, 0, result, 0, count);
        return result;
    }

    /**
     * HRNet's {@code oks_iou} for one pair: the mean over keypoints of {@code exp(-e)} with
     * {@code e = d^2 / (2 sigma)^2 / ((areaA + areaB) / 2 + eps) / 2}; 0 for poses without keypoints.
     */
    static double oks(DecodedPose a, DecodedPose b, double areaA, double areaB, double[] sigmas) {
        int k = sigmas.length;
        if (k == 0) {
            return 0.0;
        }
        double meanArea = (areaA + areaB) / 2 + EPS;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double dx = (double) b.x()[i] - a.x()[i];
            double dy = (double) b.y()[i] - a.y()[i];
            double var = (sigmas[i] * 2) * (sigmas[i] * 2);
            sum += Math.exp(-((dx * dx + dy * dy) / var / meanArea / 2));
        }
        return sum / k;
    }
}
