package io.posestream.analytics.engine;

import io.posestream.analytics.rules.CameraRules;
import io.posestream.analytics.rules.FallRule;
import io.posestream.analytics.rules.HandsRaisedRule;
import io.posestream.analytics.rules.LineRule;
import io.posestream.analytics.rules.Point;
import io.posestream.analytics.rules.Polygon;
import io.posestream.analytics.rules.Polyline;
import io.posestream.analytics.rules.ZoneRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics state of one camera and the rules that move it on, one posed frame at a time. Only CONFIRMED
 * tracks are looked at; a LOST track keeps what it had (it is still there, unseen) and a track that is REMOVED
 * or no longer reported leaves its zones. Deterministic: the same frames from the same state give the same
 * activities, which is what lets the Streams processor restore it from a store and carry on.
 */
public final class CameraAnalytics {
    final Map<Long, TrackMemory> tracks = new LinkedHashMap<>();
    final Map<String, ZoneMemory> zones = new LinkedHashMap<>();

    // The rules' outlines in pixels for the frame size last seen (a camera's frames keep their size); not state.
    private CameraRules geometryRules;
    private int geometryWidth;
    private int geometryHeight;
    private List<Polygon> polygons;
    private List<Polyline> lines;
    /** Counts the frames accepted, to mark the tracks seen in the current one (see TrackMemory); not state. */
    private long frameStamp;

    /** Moves the state on by one frame and returns what it raised. */
    public FrameOutcome accept(FrameView frame, CameraRules rules) {
        if (!frame.posed()) {
            return new FrameOutcome(List.of(), List.of());
        }
        List<Activity> activities = new ArrayList<>();
        List<ZoneRule> zoneRules = rules.of(ZoneRule.class);
        // Counts by zone rule index: this runs on every event, so no map of names per frame.
        int[] counts = new int[zoneRules.size()];
        for (int z = 0; z < counts.length; z++) {
            ZoneMemory memory = zones.get(zoneRules.get(z).name());
            counts[z] = memory == null ? 0 : memory.count;
        }
        List<LineRule> lineRules = rules.of(LineRule.class);
        if (rules != geometryRules || frame.width() != geometryWidth || frame.height() != geometryHeight) {
            polygons = zoneRules.stream()
                    .map(z -> z.inPixels(frame.width(), frame.height()))
                    .toList();
            lines = lineRules.stream()
                    .map(l -> l.inPixels(frame.width(), frame.height()))
                    .toList();
            geometryRules = rules;
            geometryWidth = frame.width();
            geometryHeight = frame.height();
        }
        List<FallRule> falls = rules.of(FallRule.class);
        List<HandsRaisedRule> hands = rules.of(HandsRaisedRule.class);

        long stamp = ++frameStamp;
        for (TrackedBody body : frame.bodies()) {
            TrackMemory known = tracks.get(body.trackId());
            if (known != null && body.phase() == TrackPhase.CONFIRMED) {
                known.confirmedStamp = stamp;
            }
        }
        for (TrackedBody body : frame.bodies()) {
            if (body.phase() == TrackPhase.REMOVED) {
                continue;
            }
            if (body.phase() != TrackPhase.CONFIRMED) {
                TrackMemory known = tracks.get(body.trackId());
                if (known != null) {
                    known.presentStamp = stamp;
                }
                continue;
            }
            TrackMemory track = tracks.computeIfAbsent(body.trackId(), id -> new TrackMemory());
            track.presentStamp = stamp;
            track.confirmedStamp = stamp;
            double[] ground = body.groundPoint();
            Point point = new Point(ground[0], ground[1]);
            for (int z = 0; z < zoneRules.size(); z++) {
                zone(frame, body, track, zoneRules.get(z), z, polygons.get(z).contains(point), counts, activities);
            }
            for (int l = 0; l < lineRules.size(); l++) {
                line(body, track, lineRules.get(l), lines.get(l), point, activities);
            }
            if (!falls.isEmpty()) {
                fall(frame, body, track, falls.get(0), activities, tracks, stamp);
            }
            if (!hands.isEmpty()) {
                hands(body, track, hands.get(0), activities);
            }
        }
        // A track the tracker no longer reports (REMOVED in this frame, or gone) leaves its zones.
        for (var it = tracks.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getValue().presentStamp == stamp) {
                continue;
            }
            for (String zone : entry.getValue().zonesEntered.keySet()) {
                int z = indexOf(zoneRules, zone);
                if (z >= 0) {
                    int count = --counts[z];
                    activities.add(new Activity(ActivityType.ZONE_EXIT, zone, entry.getKey(), -1, count, null, null));
                }
            }
            it.remove();
        }
        List<ZoneOccupancy> changed = new ArrayList<>();
        for (int z = 0; z < counts.length; z++) {
            ZoneRule zone = zoneRules.get(z);
            int count = counts[z];
            boolean overcrowded = zone.overcrowding() >= 0 && count > zone.overcrowding();
            ZoneMemory memory = zones.get(zone.name());
            if (memory == null || memory.count != count || memory.overcrowded != overcrowded) {
                changed.add(new ZoneOccupancy(zone.name(), count, overcrowded));
            }
            boolean wasOvercrowded = memory != null && memory.overcrowded;
            if (overcrowded != wasOvercrowded) {
                activities.add(new Activity(
                        overcrowded ? ActivityType.ZONE_OVERCROWDED : ActivityType.ZONE_CLEARED,
                        zone.name(),
                        null,
                        -1,
                        count,
                        null,
                        null));
            }
            if (memory == null) {
                zones.put(zone.name(), new ZoneMemory(count, overcrowded));
            } else {
                memory.count = count;
                memory.overcrowded = overcrowded;
            }
        }
        return new FrameOutcome(activities, changed);
    }

    private static int indexOf(List<ZoneRule> zoneRules, String name) {
        for (int z = 0; z < zoneRules.size(); z++) {
            if (zoneRules.get(z).name().equals(name)) {
                return z;
            }
        }
        return -1;
    }

    private static void zone(
            FrameView frame,
            TrackedBody body,
            TrackMemory track,
            ZoneRule zone,
            int z,
            boolean inside,
            int[] counts,
            List<Activity> activities) {
        Long entered = track.zonesEntered.get(zone.name());
        if (inside && entered == null) {
            track.zonesEntered.put(zone.name(), frame.timeMs());
            int count = ++counts[z];
            activities.add(new Activity(
                    ActivityType.ZONE_ENTER, zone.name(), body.trackId(), body.index(), count, null, null));
        } else if (!inside && entered != null) {
            track.zonesEntered.remove(zone.name());
            track.dwellReported.remove(zone.name());
            int count = --counts[z];
            activities.add(
                    new Activity(ActivityType.ZONE_EXIT, zone.name(), body.trackId(), body.index(), count, null, null));
        } else if (inside
                && zone.dwellMs() > 0
                && frame.timeMs() - entered >= zone.dwellMs()
                && track.dwellReported.add(zone.name())) {
            activities.add(new Activity(
                    ActivityType.DWELL,
                    zone.name(),
                    body.trackId(),
                    body.index(),
                    counts[z],
                    null,
                    frame.timeMs() - entered));
        }
    }

    /**
     * A crossing is a change of clear side (beyond the margin) whose step from the last clear point crosses the
     * line: going round the end of a line changes side without crossing it.
     */
    private static void line(
            TrackedBody body, TrackMemory track, LineRule rule, Polyline line, Point point, List<Activity> activities) {
        double distance = line.signedDistance(point);
        if (Math.abs(distance) < Math.max(rule.margin(), 1e-9)) {
            return;
        }
        int side = distance > 0 ? 1 : -1;
        TrackMemory.LineSide last =
                track.lineSides.put(rule.name(), new TrackMemory.LineSide(side, point.x(), point.y()));
        if (last != null && last.side() != side && line.crossedBy(new Point(last.x(), last.y()), point)) {
            activities.add(new Activity(
                    ActivityType.LINE_CROSSED, rule.name(), body.trackId(), body.index(), null, side, null));
        }
    }

    private static void fall(
            FrameView frame,
            TrackedBody body,
            TrackMemory track,
            FallRule rule,
            List<Activity> activities,
            Map<Long, TrackMemory> tracks,
            long stamp) {
        double[] shoulders = body.midpoint(TrackedBody.LEFT_SHOULDER, TrackedBody.RIGHT_SHOULDER);
        double[] hips = body.midpoint(TrackedBody.LEFT_HIP, TrackedBody.RIGHT_HIP);
        if (shoulders == null || hips == null) {
            return;
        }
        double dx = Math.abs(hips[0] - shoulders[0]);
        double dy = Math.abs(hips[1] - shoulders[1]);
        if (dx == 0 && dy == 0) {
            return;
        }
        double fromVertical = Math.toDegrees(Math.atan2(dx, dy));
        long now = frame.timeMs();
        if (fromVertical <= rule.uprightMaxDegrees()) {
            track.uprightMs = now;
            track.uprightHipY = hips[1];
            track.uprightHeight = body.y2() - body.y1();
            track.uprightX1 = body.x1();
            track.uprightX2 = body.x2();
            track.downSinceMs = -1;
            track.fallReported = false;
            return;
        }
        if (track.downSinceMs < 0 && fromVertical >= rule.lyingMinDegrees()) {
            TrackMemory before = fellFrom(track, body, hips[1], now, rule, tracks, stamp);
            if (before == track) {
                track.downSinceMs = now;
            } else if (before != null) {
                // The fall is this track's now (since the other saw it go down, if it did); the track it broke off
                // from must not report it a second time.
                track.downSinceMs = before.downSinceMs >= 0 ? before.downSinceMs : now;
                before.downSinceMs = -1;
                before.uprightMs = -1;
            }
        }
        if (track.downSinceMs >= 0 && !track.fallReported && now - track.downSinceMs >= rule.downMs()) {
            track.fallReported = true;
            activities.add(new Activity(
                    ActivityType.FALL, rule.name(), body.trackId(), body.index(), null, null, now - track.downSinceMs));
        }
    }

    /**
     * The upright pose this lying one fell from: the track's own last upright pose if recent and high enough above,
     * else another track, not CONFIRMED in this frame, that was already down or whose last upright box stood where
     * this body lies and fell from it. A fall is
     * quicker than most tracking expects, so the tracker often loses the falling person and starts a new track on
     * the body on the ground; that new track inherits the fall.
     */
    private static TrackMemory fellFrom(
            TrackMemory track,
            TrackedBody body,
            double hipY,
            long now,
            FallRule rule,
            Map<Long, TrackMemory> tracks,
            long stamp) {
        if (fallenFrom(track, hipY, now, rule)) {
            return track;
        }
        if (track.uprightMs >= 0) {
            return null;
        }
        for (Map.Entry<Long, TrackMemory> entry : tracks.entrySet()) {
            TrackMemory other = entry.getValue();
            boolean wasThere = other.uprightMs >= 0 && other.uprightX1 <= body.x2() && body.x1() <= other.uprightX2;
            if (other != track
                    && other.confirmedStamp != stamp
                    && wasThere
                    && !other.fallReported
                    && (other.downSinceMs >= 0 || fallenFrom(other, hipY, now, rule))) {
                return other;
            }
        }
        return null;
    }

    private static boolean fallenFrom(TrackMemory upright, double hipY, long now, FallRule rule) {
        return upright.uprightMs >= 0
                && now - upright.uprightMs <= rule.maxFallMs()
                && hipY - upright.uprightHipY >= rule.minHipDrop() * upright.uprightHeight;
    }

    private static void hands(TrackedBody body, TrackMemory track, HandsRaisedRule rule, List<Activity> activities) {
        double headTop = Double.MAX_VALUE;
        for (int k = 0; k < TrackedBody.HEAD_KEYPOINTS; k++) {
            if (body.visible(k)) {
                headTop = Math.min(headTop, body.y(k));
            }
        }
        boolean up = headTop != Double.MAX_VALUE
                && body.visible(TrackedBody.LEFT_WRIST)
                && body.visible(TrackedBody.RIGHT_WRIST)
                && body.y(TrackedBody.LEFT_WRIST) < headTop
                && body.y(TrackedBody.RIGHT_WRIST) < headTop;
        if (up && !track.handsUp) {
            activities.add(new Activity(
                    ActivityType.HANDS_RAISED, rule.name(), body.trackId(), body.index(), null, null, null));
        }
        track.handsUp = up;
    }

    /** Tracks the state remembers (CONFIRMED ones seen and not yet gone). */
    public int trackCount() {
        return tracks.size();
    }
}
