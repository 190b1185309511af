package io.posestream.analytics.engine;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the engine remembers of one track between frames. Mutable; owned by one {@link CameraAnalytics}. */
final class TrackMemory {
    /** Zone name to the capture time the track entered it. */
    final Map<String, Long> zonesEntered = new LinkedHashMap<>();
    /** Zones whose dwell event this stay has already raised. */
    final Set<String> dwellReported = new HashSet<>();
    /** Line name to the last side (+1/-1) the ground point was clearly on, and where it was then. */
    final Map<String, LineSide> lineSides = new LinkedHashMap<>();

    /** Last upright pose: its time (-1 for none), hip height, box height and horizontal extent. */
    long uprightMs = -1;

    double uprightHipY;
    double uprightHeight;
    double uprightX1;
    double uprightX2;
    /** Since when the person is down after a fall-like drop (-1: not down). */
    long downSinceMs = -1;

    boolean fallReported;
    boolean handsUp;

    /**
     * The frame count (CameraAnalytics' own) at which the track was last reported, and last reported CONFIRMED:
     * marks instead of sets of ids built on every frame. Not state: a state read back starts at 0.
     */
    long presentStamp;

    long confirmedStamp;

    record LineSide(int side, double x, double y) {}
}
