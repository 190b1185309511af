package io.posestream.analytics.engine;

import java.util.List;

/**
 * A tracked frame of one camera as the engine sees it.
 *
 * @param posed whether the tracker advanced on this frame; other frames change nothing
 */
public record FrameView(long seq, long timeMs, int width, int height, boolean posed, List<TrackedBody> bodies) {
    public FrameView {
        bodies = List.copyOf(bodies);
    }
}
