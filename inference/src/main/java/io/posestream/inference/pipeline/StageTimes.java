package io.posestream.inference.pipeline;

/**
 * Milliseconds one frame spent in each stage of the top-down pipeline; batched stages (detector, pose network)
 * are shared out over the frames, and the pose network by each frame's number of crops.
 */
public record StageTimes(double decodeMs, double detectMs, double cropMs, double poseMs, double heatmapDecodeMs) {
    public double sumMs() {
        return decodeMs + detectMs + cropMs + poseMs + heatmapDecodeMs;
    }
}
