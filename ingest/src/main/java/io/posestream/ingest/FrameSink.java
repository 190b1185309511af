package io.posestream.ingest;

import io.posestream.avro.Frame;
import io.posestream.ingest.metrics.CameraMetrics;

/**
 * Where a camera's encoded frames go once the camera code has built them: the Kafka producer of the {@code ingest}
 * process ({@link FramePublisher}), or the hand-over queue of a Kafka Connect source task. The camera code (connect,
 * decode, sample, JPEG, seq numbering) is the same for both; only this last step differs.
 *
 * <p>Called from every camera's own thread at once: implementations are thread-safe and never block a camera for
 * long, since a live camera cannot wait.
 */
public interface FrameSink {
    /**
     * Hands the frame over. Returns false, with the drop counted in {@code metrics} by its reason, when the frame
     * could not be taken; the camera then gives the next frame the same {@code seq}, so the numbers a sink accepts
     * have no gaps.
     */
    boolean publish(Frame frame, CameraMetrics metrics);
}
