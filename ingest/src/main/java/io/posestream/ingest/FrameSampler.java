package io.posestream.ingest;

/**
 * Picks frames for a target rate by presentation timestamp, not by wall clock: time is cut into slots of
 * 1/fps from the first frame's timestamp and the first frame of each slot is kept. A file therefore replays at the
 * same sample points every time, and a live stream's jitter does not change which frames are kept.
 */
public final class FrameSampler {
    private final long intervalMicros;
    private long origin;
    private long lastSlot;
    private boolean anchored;

    public FrameSampler(double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be > 0, got " + fps);
        }
        this.intervalMicros = Math.max(1, Math.round(1_000_000 / fps));
    }

    /** True when the frame with this timestamp (microseconds) is to be kept. */
    public boolean accept(long ptsMicros) {
        if (!anchored || ptsMicros < origin) {
            // First frame, or timestamps went back (a source restart): start a new series of slots.
            anchored = true;
            origin = ptsMicros;
            lastSlot = -1;
        }
        long slot = (ptsMicros - origin) / intervalMicros;
        if (slot > lastSlot) {
            lastSlot = slot;
            return true;
        }
        return false;
    }

    /** Forgets the current series: the next frame starts a new one (after a reconnect or a file loop). */
    public void reset() {
        anchored = false;
    }
}
