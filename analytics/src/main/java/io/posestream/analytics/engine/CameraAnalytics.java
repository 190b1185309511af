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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Moves the state on by one frame and returns what it raised. */
    public FrameOutcome accept(FrameView frame, CameraRules rules) {
        if (!frame.posed()) {
            return new FrameOutcome(List.of(), List.of());
        }
        List<Activity> activities = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<ZoneRule> zoneRules = rules.of(ZoneRule.class);
        for (ZoneRule zone : zoneRules) {
            counts.put(zone.name(), zones.containsKey(zone.name()) ? zones.get(zone.name()).count : 0);
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

        Set<Long> present = new HashSet<>();
        Set<Long> confirmed = new HashSet<>();
        for (TrackedBody body : frame.bodies()) {
            if (body.phase() == TrackPhase.CONFIRMED) {
                confirmed.add(body.trackId());
            }
        }
        for (TrackedBody body : frame.bodies()) {
            if (body.phase() == TrackPhase.REMOVED) {
                continue;
            }
            present.add(body.trackId());
            if (body.phase() != TrackPhase.CONFIRMED) {
                continue;
            }
            TrackMemory track = tracks.computeIfAbsent(body.trackId(), id -> new TrackMemory());
            double[] ground = body.groundPoint();
            Point point = new Point(ground[0], ground[1]);
            for (int z = 0; z < zoneRules.size(); z++) {
                zone(frame, body, track, zoneRules.get(z), polygons.get(z).contains(point), counts, activities);
            }
            for (int l = 0; l < lineRules.size(); l++) {
                line(body, track, lineRules.get(l), lines.get(l), point, activities);
            }
            if (!falls.isEmpty()) {
                fall(frame, body, track, falls.get(0), activities, tracks, confirmed);
            }
            if (!hands.isEmpty()) {
                hands(body, track, hands.get(0), activities);
            }
        }
        // A track the tracker no longer reports (REMOVED in this frame, or gone) leaves its zones.
        for (var it = tracks.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (present.contains(entry.getKey())) {
                continue;
            }
            for (String zone : entry.getValue().zonesEntered.keySet()) {
                if (counts.containsKey(zone)) {
                    int count = counts.merge(zone, -1, Integer::sum);
                    activities.add(new Activity(ActivityType.ZONE_EXIT, zone, entry.getKey(), -1, count, null, null));
                }
            }
            it.remove();
        }
        List<ZoneOccupancy> changed = new ArrayList<>();
        for (ZoneRule zone : zoneRules) {
            int count = counts.get(zone.name());
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
            zones.put(zone.name(), new ZoneMemory(count, overcrowded));
        }
        return new FrameOutcome(activities, changed);
    }

    private static void zone(
            FrameView frame,
            TrackedBody body,
            TrackMemory track,
            ZoneRule zone,
            boolean inside,
            Map<String, Integer> counts,
            List<Activity> activities) {
        Long entered = track.zonesEntered.get(zone.name());
        if (inside && entered == null) {
            track.zonesEntered.put(zone.name(), frame.timeMs());
            int count = counts.merge(zone.name(), 1, Integer::sum);
            activities.add(new Activity(
                    ActivityType.ZONE_ENTER, zone.name(), body.trackId(), body.index(), count, null, null));
        } else if (!inside && entered != null) {
            track.zonesEntered.remove(zone.name());
            track.dwellReported.remove(zone.name());
            int count = counts.merge(zone.name(), -1, Integer::sum);
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
                    counts.get(zone.name()),
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
            Set<Long> confirmed) {
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
            TrackMemory before = fellFrom(track, body, hips[1], now, rule, tracks, confirmed);
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
            Set<Long> confirmed) {
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
                    && !confirmed.contains(entry.getKey())
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
