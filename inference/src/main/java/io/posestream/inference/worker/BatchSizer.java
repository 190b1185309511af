package io.posestream.inference.worker;

/**
 * How many frames the next batch may take: as many as the worker processes within {@code inference.batch.max.ms}
 * at its measured time per posed frame, at least one and at most {@code inference.batch.frames}. Every frame waits
 * for its whole batch. On a CPU a frame takes a few hundred milliseconds and a bigger batch is no faster per frame,
 * so a batch of four cameras' frames only added three frames' time to each one's latency (docs/inference.md,
 * Delivery); on a GPU a frame takes milliseconds and the batches fill up to {@code inference.batch.frames}.
 */
final class BatchSizer {
    /** Weight of the running mean against the newest batch: about the last five batches count. */
    private static final double MEMORY = 0.8;

    private final int maxFrames;
    private final long maxMs;
    /** Mean milliseconds per posed frame; 0 until a batch has been measured. */
    private double msPerFrame;

    BatchSizer(int maxFrames, long maxMs) {
        this.maxFrames = maxFrames;
        this.maxMs = maxMs;
    }

    /** Frames the next batch may take (one until a batch has been measured, unless the bound is off). */
    int frames() {
        if (maxMs == 0) {
            return maxFrames;
        }
        if (msPerFrame == 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(maxFrames, Math.floor(maxMs / msPerFrame)));
    }

    /** A batch posed {@code frames} frames in {@code millis}. */
    void processed(int frames, long millis) {
        if (frames == 0) {
            return;
        }
        double perFrame = Math.max(1e-3, (double) millis / frames);
        msPerFrame = msPerFrame == 0 ? perFrame : MEMORY * msPerFrame + (1 - MEMORY) * perFrame;
    }
}
