package io.posestream.inference.pipeline;

import java.util.List;

/**
 * What the top-down pipeline made of one image: persons best first, or the reason it could not be decoded.
 *
 * @param width   source width in pixels (0 when undecodable)
 * @param height  source height in pixels (0 when undecodable)
 * @param persons persons after rescoring and OKS-NMS, best first; empty when undecodable
 * @param crops   person crops posed (detections, before OKS-NMS)
 * @param times   this image's share of each stage
 * @param error   why the image could not be decoded; null when it was
 */
public record FrameOutcome(
        int width, int height, List<PosedPerson> persons, int crops, StageTimes times, String error) {
    public boolean decoded() {
        return error == null;
    }
}
