package io.posestream.analytics.engine;

import java.util.List;

/** What one frame raised: activities in the order they happened, and the zone counts it changed. */
public record FrameOutcome(List<Activity> activities, List<ZoneOccupancy> counts) {
    public FrameOutcome {
        activities = List.copyOf(activities);
        counts = List.copyOf(counts);
    }

    public boolean isEmpty() {
        return activities.isEmpty() && counts.isEmpty();
    }
}
