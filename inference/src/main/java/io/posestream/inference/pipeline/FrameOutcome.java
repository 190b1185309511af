package io.posestream.inference.pipeline;

import io.posestream.inference.crops.CropPlan;
import java.util.List;

/**
 * What the top-down pipeline made of one image: persons best first, or the reason it could not be decoded.
 *
 * @param width   source width in pixels (0 when undecodable)
 * @param height  source height in pixels (0 when undecodable)
 * @param persons persons after rescoring and OKS-NMS, best first; empty when undecodable
 * @param crops    person crops posed (detections or tracked regions, before OKS-NMS)
 * @param times    this image's share of each stage
 * @param error    why the image could not be decoded; null when it was
 * @param detectedBecause why the person detector ran on the image; null when it did not (its crops came from the
 *                        persons tracked in its camera) or the image could not be decoded
 */
public record FrameOutcome(
        int width,
        int height,
        List<PosedPerson> persons,
        int crops,
        StageTimes times,
        String error,
        CropPlan.Reason detectedBecause) {
    public boolean decoded() {
        return error == null;
    }

    /** Whether the person detector ran on the image. */
    public boolean detected() {
        return detectedBecause != null;
    }
}
