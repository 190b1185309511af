package io.posestream.inference.pipeline;

/**
 * One encoded image for the pipeline, with the camera it came from and when it was captured (what tracking-driven
 * crops need to follow a camera's persons from frame to frame).
 *
 * @param camera    camera id
 * @param captureMs capture time, epoch millis
 * @param image     the encoded image (JPEG or PNG)
 */
public record FrameInput(String camera, long captureMs, byte[] image) {}
