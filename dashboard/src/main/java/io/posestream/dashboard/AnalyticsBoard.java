package io.posestream.dashboard;

import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.CameraRules;
import io.posestream.analytics.rules.LineRule;
import io.posestream.analytics.rules.ZoneRule;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.ZoneCount;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the analytics stage says about each camera, beside its tile: the rules' zones and lines (drawn over the
 * frame), every zone's current count (from the compacted zone-counts topic), crossings per line and direction
 * since the dashboard started, and the latest activity events. Each change pushes the camera's whole panel as one
 * {@code analytics} message (key {@code analytics/<camera>}), so a slow browser that skips some still ends on the
 * latest state. Fed by the reader thread only; records are validated by the caller ({@link #problemWith}).
 */
final class AnalyticsBoard {
    private final AnalyticsRules rules;
    private final int listSize;
    private final int maxCameras;
    private final EventHub hub;
    private final Map<String, Panel> panels = new TreeMap<>();
    /** The latest message of every camera, readable from any thread. */
    private final Map<String, String> published = new ConcurrentHashMap<>();

    /** One camera's panel: its rules, counts and latest events. */
    static final class Panel {
        final String camera;
        final List<ZoneRule> zones;
        final List<LineRule> lines;
        /** Latest count per zone name, including zones the rules file does not name. */
        final Map<String, ZoneCount> counts = new LinkedHashMap<>();
        /** Crossings per line name: [positive, negative]. */
        final Map<String, long[]> crossings = new HashMap<>();
        /** Newest first, at most listSize. */
        final Deque<ActivityEvent> latest = new ArrayDeque<>();

        long received;

        Panel(CameraRules rules) {
            this.camera = rules.camera();
            this.zones = rules.of(ZoneRule.class);
            this.lines = rules.of(LineRule.class);
        }
    }

    AnalyticsBoard(AnalyticsRules rules, int listSize, int maxCameras, EventHub hub) {
        this.rules = rules;
        this.listSize = listSize;
        this.maxCameras = maxCameras;
        this.hub = hub;
        // Every camera of the rules gets its zones and lines at once, before any record arrives.
        for (String camera : rules.cameras().keySet()) {
            publish(panel(camera));
        }
    }

    /** An accepted activity event: listed (newest first), and counted per line direction when it is a crossing. */
    void onActivity(ActivityEvent event) {
        Panel panel = panel(event.getCameraId());
        panel.received++;
        panel.latest.addFirst(event);
        while (panel.latest.size() > listSize) {
            panel.latest.removeLast();
        }
        if (event.getKind() == ActivityKind.LINE_CROSSED && event.getDirection() != null) {
            long[] counts = panel.crossings.computeIfAbsent(event.getRule(), rule -> new long[2]);
            counts[event.getDirection() > 0 ? 0 : 1]++;
        }
        publish(panel);
    }

    /** An accepted zone count: the zone's count now. */
    void onZoneCount(ZoneCount count) {
        Panel panel = panel(count.getCameraId());
        panel.counts.put(count.getZone(), count);
        publish(panel);
    }

    /**
     * Why a record of this camera is not shown because panels of too many cameras are, or null. Cameras of the
     * rules file always have their panel.
     */
    String beyondCameras(String cameraId) {
        if (panels.size() < maxCameras || panels.containsKey(cameraId)) {
            return null;
        }
        return "a new camera while " + maxCameras + " are shown (" + DashboardConfig.MAX_CAMERAS + ")";
    }

    /** The latest panel message of every camera, by camera id (for {@code /api/state}; any thread). */
    Map<String, String> messages() {
        return new TreeMap<>(published);
    }

    /** Why an activity event cannot be listed, or null when it can. */
    static String problemWith(ActivityEvent event) {
        if (event.getCameraId() == null || event.getCameraId().isBlank()) {
            return "empty cameraId";
        }
        if (event.getRule() == null || event.getRule().isBlank()) {
            return "empty rule";
        }
        if (event.getTime() == null) {
            return "no time";
        }
        return null;
    }

    /** Why a zone count cannot be shown, or null when it can. */
    static String problemWith(ZoneCount count) {
        if (count.getCameraId() == null || count.getCameraId().isBlank()) {
            return "empty cameraId";
        }
        if (count.getZone() == null || count.getZone().isBlank()) {
            return "empty zone";
        }
        if (count.getCount() < 0) {
            return "negative count " + count.getCount() + " in zone " + count.getZone();
        }
        return null;
    }

    private Panel panel(String camera) {
        return panels.computeIfAbsent(camera, id -> new Panel(rules.forCamera(id)));
    }

    private void publish(Panel panel) {
        String message = TileMessages.analytics(panel);
        published.put(panel.camera, message);
        hub.publish("analytics/" + panel.camera, "analytics", message);
    }
}
