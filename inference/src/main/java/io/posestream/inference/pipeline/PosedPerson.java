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
 * @param keypoints keypoints in source pixels with their confidences
 */
public record PosedPerson(Detection box, float score, DecodedPose keypoints) {
    /** A person from plain arrays (e.g. read back from a PoseFrame): keypoint {@code k} at x[k], y[k], scores[k]. */
    public static PosedPerson of(Detection box, float score, float[] x, float[] y, float[] scores) {
        return new PosedPerson(box, score, new DecodedPose(x, y, scores));
    }
}
