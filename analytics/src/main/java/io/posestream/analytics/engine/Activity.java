package io.posestream.analytics.engine;

/**
 * One thing a rule saw happen in a frame.
 *
 * @param trackId the person's track, or null for zone-wide activities
 * @param bodyIndex index of the person in the frame, or -1 when the person is not in it (zone-wide, or a track
 *     that ended)
 * @param zoneCount people in the zone after the activity (zone rules), else null
 * @param direction +1 onto the line's positive side, -1 onto its negative side (line rules), else null
 * @param durationMs time inside (dwell) or down (fall), else null
 */
public record Activity(
        ActivityType type,
        String rule,
        Long trackId,
        int bodyIndex,
        Integer zoneCount,
        Integer direction,
        Long durationMs) {}
