package io.posestream.inference.pipeline;

import io.posestream.inference.model.Detection;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.schemas.CocoKeypoints;
import java.util.ArrayList;
import java.util.List;

/**
 * How well the persons one way of posing finds agree with those of a reference way on the same frames (e.g. crops
 * from tracking against the detector on every frame): persons are paired by their boxes (greedy, best IoU first, at
 * least {@value #MIN_IOU}), and each pair is scored by COCO's object keypoint similarity of the keypoints, with the
 * reference person's box area as the object's area and COCO's per-keypoint sigmas. Persons with a score of 0 (no
 * keypoint above the rescoring threshold: no pose to agree on, and tracking-driven crops do not pose them again)
 * are left out on both sides. Sums over frames with {@link #plus}.
 *
 * @param reference persons in the reference
 * @param compared  persons in the compared way
 * @param matched   pairs
 * @param oksSum    sum of the pairs' OKS
 */
public record PoseAgreement(int reference, int compared, int matched, double oksSum) {
    /** Least box IoU for two persons to count as the same person. */
    public static final double MIN_IOU = 0.3;

    public static final PoseAgreement NONE = new PoseAgreement(0, 0, 0, 0);

    /** The agreement of {@code compared} with {@code reference} on one frame. */
    public static PoseAgreement of(List<PosedPerson> allReference, List<PosedPerson> allCompared) {
        List<PosedPerson> reference =
                allReference.stream().filter(p -> p.score() > 0).toList();
        List<PosedPerson> compared =
                allCompared.stream().filter(p -> p.score() > 0).toList();
        List<double[]> pairs = new ArrayList<>();
        for (int r = 0; r < reference.size(); r++) {
            for (int c = 0; c < compared.size(); c++) {
                double iou = iou(reference.get(r).box(), compared.get(c).box());
                if (iou >= MIN_IOU) {
                    pairs.add(new double[] {iou, r, c});
                }
            }
        }
        pairs.sort((a, b) -> Double.compare(b[0], a[0]));
        boolean[] usedR = new boolean[reference.size()];
        boolean[] usedC = new boolean[compared.size()];
        int matched = 0;
        double sum = 0;
        for (double[] pair : pairs) {
            int r = (int) pair[1];
            int c = (int) pair[2];
            if (!usedR[r] && !usedC[c]) {
                usedR[r] = true;
                usedC[c] = true;
                matched++;
                sum += oks(reference.get(r), compared.get(c));
            }
        }
        return new PoseAgreement(reference.size(), compared.size(), matched, sum);
    }

    public PoseAgreement plus(PoseAgreement other) {
        return new PoseAgreement(
                reference + other.reference, compared + other.compared, matched + other.matched, oksSum + other.oksSum);
    }

    /** Mean OKS over the pairs; NaN without any. */
    public double meanOks() {
        return matched == 0 ? Double.NaN : oksSum / matched;
    }

    /** Share of the reference persons paired with a compared one. */
    public double recall() {
        return reference == 0 ? Double.NaN : (double) matched / reference;
    }

    /** Share of the compared persons paired with a reference one. */
    public double precision() {
        return compared == 0 ? Double.NaN : (double) matched / compared;
    }

    /** COCO's OKS of {@code other} against {@code reference}, every keypoint counted, area = reference box area. */
    static double oks(PosedPerson reference, PosedPerson other) {
        Detection box = reference.box();
        double area = Math.max(1, (box.x2() - box.x1()) * (double) (box.y2() - box.y1()));
        DecodedPose a = reference.keypoints();
        DecodedPose b = other.keypoints();
        double sum = 0;
        for (int k = 0; k < a.size(); k++) {
            double sigma = 2 * CocoKeypoints.oksSigma(k);
            double dx = a.x()[k] - b.x()[k];
            double dy = a.y()[k] - b.y()[k];
            sum += Math.exp(-(dx * dx + dy * dy) / (2 * area * sigma * sigma));
        }
        return sum / a.size();
    }

    private static double iou(Detection a, Detection b) {
        double iw = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double ih = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = iw * ih;
        double union =
                (a.x2() - a.x1()) * (double) (a.y2() - a.y1()) + (b.x2() - b.x1()) * (double) (b.y2() - b.y1()) - inter;
        return union > 0 ? inter / union : 0;
    }
}
