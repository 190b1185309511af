package io.posestream.analytics.engine;

/** What a rule saw happen (the Avro {@code ActivityKind} without its reader fallback). */
public enum ActivityType {
    ZONE_ENTER,
    ZONE_EXIT,
    ZONE_OVERCROWDED,
    ZONE_CLEARED,
    DWELL,
    LINE_CROSSED,
    FALL,
    HANDS_RAISED
}
