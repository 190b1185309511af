package io.posestream.inference.pipeline;

import io.posestream.inference.model.Detection;
import io.posestream.inference.postprocess.DecodedPose;

/**
 * One person the top-down pipeline found in a source image, in source-frame pixels: the detector's box, the person
 * score after rescoring, and the COCO-17 keypoints. The pipeline's own type: turning it into the Avro contract is the
 * worker's job, so the pipeline is usable (and tested) without Kafka or the schemas.
 *
 * @param box       the detector's box and score, in source pixels
 * @param score     the person score after rescoring (box score times mean confident keypoint score)
 * @param keypoints  keypoints in source pixels with their confidences
 * @param appearance the person's colour descriptor ({@link io.posestream.schemas.AppearanceDescriptor}), or null
 */
public record PosedPerson(Detection box, float score, DecodedPose keypoints, float[] appearance) {
    /** A person without a colour descriptor. */
    public PosedPerson(Detection box, float score, DecodedPose keypoints) {
        this(box, score, keypoints, null);
    }

    // A value: the descriptor compares by its contents, not by which array holds them.
    @Override
    public boolean equals(Object o) {
        return o instanceof PosedPerson p
                && box.equals(p.box)
                && Float.compare(score, p.score) == 0
                && keypoints.equals(p.keypoints)
                && java.util.Arrays.equals(appearance, p.appearance);
    }

    @Override
    public int hashCode() {
        return (box.hashCode() * 31 + Float.hashCode(score)) * 31 + keypoints.hashCode();
    }

    @Override
    public String toString() {
        return "PosedPerson[box=" + box + ", score=" + score + ", keypoints=" + keypoints + ", appearance="
                + java.util.Arrays.toString(appearance) + "]";
    }

    /** A person from plain arrays (e.g. read back from a PoseFrame): keypoint {@code k} at x[k], y[k], scores[k]. */
    public static PosedPerson of(Detection box, float score, float[] x, float[] y, float[] scores) {
        return new PosedPerson(box, score, new DecodedPose(x, y, scores));
    }
}
