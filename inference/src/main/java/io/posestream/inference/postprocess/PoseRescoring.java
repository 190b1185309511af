package io.posestream.inference.postprocess;

/**
 * A person's overall pose score from its detector score and its keypoint scores.
 *
 * <p>Mirrors the rescoring in HRNet's {@code COCODataset.evaluate} (lib/dataset/coco.py): the mean of the keypoint
 * scores above {@code in_vis_thre}, times the box score, 0 when no keypoint clears the threshold. The published
 * HRNet configs set {@code TEST.IN_VIS_THRE: 0.2} (the code default is 0.0); pass 0.2 to reproduce their COCO
 * numbers. Weighing the box score by keypoint confidence ranks a well-localised pose above a confident box around
 * an occluded person, which is what OKS-NMS and COCO AP reward.
 */
public final class PoseRescoring {

    private PoseRescoring() {}

    /**
     * {@code boxScore * mean(keypointScores > visibleThreshold)}, or 0 when no keypoint score exceeds
     * {@code visibleThreshold} (strictly, as in HRNet).
     */
    public static float rescore(float boxScore, float[] keypointScores, float visibleThreshold) {
        if (keypointScores == null) {
            throw new IllegalArgumentException("keypointScores must not be null");
        }
        double sum = 0;
        int visible = 0;
        for (float s : keypointScores) {
            if (s > visibleThreshold) {
                sum += s;
                visible++;
            }
        }
        return visible == 0 ? 0f : (float) (boxScore * (sum / visible));
    }
}
