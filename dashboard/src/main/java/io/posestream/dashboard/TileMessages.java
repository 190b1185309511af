package io.posestream.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.analytics.rules.LineRule;
import io.posestream.analytics.rules.Point;
import io.posestream.analytics.rules.ZoneRule;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.CocoKeypoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON the page receives: a camera's tile, its figures, its analytics panel, the skip counters, and the
 * skeleton definition.
 */
final class TileMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    private TileMessages() {}

    /** The frame as a data URL plus the tracked persons of its event ({@code event} null: shown without poses). */
    static String tile(Frame frame, PoseEvent event, CameraFigures figures) {
        ObjectNode tile = JSON.createObjectNode()
                .put("camera", frame.getCameraId())
                .put("seq", frame.getSeq())
                .put("captureTime", frame.getCaptureTime().toEpochMilli())
                .put("width", frame.getWidth())
                .put("height", frame.getHeight())
                .put("image", dataUrl(frame))
                .put("posed", event != null)
                .put(
                        "frameStatus",
                        event == null ? null : event.getFrameStatus().name());
        ArrayNode persons = tile.putArray("persons");
        if (event != null) {
            for (TrackedPerson person : event.getPersons()) {
                persons.add(person(person));
            }
        }
        tile.set("figures", JSON.valueToTree(figures));
        return tile.toString();
    }

    static String figures(CameraFigures figures) {
        return JSON.valueToTree(figures).toString();
    }

    static String counters(SkipCounters counters) {
        return JSON.valueToTree(counters).toString();
    }

    /**
     * A camera's analytics panel: its zones (outline in the rules file's units, current count) and lines (with
     * crossings per direction since the dashboard started), and its latest activity events, newest first.
     */
    static String analytics(AnalyticsBoard.Panel panel) {
        ObjectNode json = JSON.createObjectNode().put("camera", panel.camera).put("received", panel.received);
        ArrayNode zones = json.putArray("zones");
        Set<String> drawn = new HashSet<>();
        for (ZoneRule zone : panel.zones) {
            drawn.add(zone.name());
            ObjectNode z = zones.addObject()
                    .put("name", zone.name())
                    .put("normalized", zone.normalized())
                    .put("overcrowding", zone.overcrowding());
            points(z.putArray("points"), zone.polygon().points());
            count(z, panel.counts.get(zone.name()));
        }
        // Counts of zones the rules file given to the dashboard does not name: listed, not drawn.
        for (Map.Entry<String, ZoneCount> entry : panel.counts.entrySet()) {
            if (!drawn.contains(entry.getKey())) {
                ObjectNode z = zones.addObject().put("name", entry.getKey()).put("normalized", false);
                z.putArray("points");
                count(z, entry.getValue());
            }
        }
        ArrayNode lines = json.putArray("lines");
        for (LineRule line : panel.lines) {
            long[] crossings = panel.crossings.getOrDefault(line.name(), new long[2]);
            ObjectNode l = lines.addObject()
                    .put("name", line.name())
                    .put("normalized", line.normalized())
                    .put("positive", crossings[0])
                    .put("negative", crossings[1]);
            points(l.putArray("points"), line.line().points());
        }
        ArrayNode events = json.putArray("events");
        for (ActivityEvent event : panel.latest) {
            ObjectNode e = events.addObject()
                    .put("kind", event.getKind().name())
                    .put("rule", event.getRule())
                    .put("seq", event.getSeq())
                    .put("time", event.getTime().toEpochMilli());
            e.set("trackId", JSON.valueToTree(event.getTrackId()));
            e.set("direction", JSON.valueToTree(event.getDirection()));
            e.set("durationMs", JSON.valueToTree(event.getDurationMs()));
            e.set("zoneCount", JSON.valueToTree(event.getZoneCount()));
        }
        return json.toString();
    }

    private static void points(ArrayNode array, List<Point> points) {
        points.forEach(p -> array.addArray().add(p.x()).add(p.y()));
    }

    /** A zone's count, or null (and not overcrowded) while none has been read. */
    private static void count(ObjectNode zone, ZoneCount count) {
        if (count == null) {
            zone.putNull("count");
            zone.put("overcrowded", false);
        } else {
            zone.put("count", count.getCount())
                    .put("overcrowded", count.getOvercrowded())
                    .put("countTime", count.getTime().toEpochMilli());
        }
    }

    /**
     * Current figures and analytics panels of every camera and the counters, without images: for
     * {@code /api/state}.
     */
    static String state(
            Collection<CameraFigures> cameras, Map<String, String> analytics, SkipCounters counters, int clients) {
        ObjectNode state = JSON.createObjectNode();
        ObjectNode byCamera = state.putObject("cameras");
        cameras.forEach(f -> byCamera.set(f.cameraId(), JSON.valueToTree(f)));
        ObjectNode panels = state.putObject("analytics");
        analytics.forEach((camera, message) -> {
            try {
                panels.set(camera, JSON.readTree(message));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        state.set("counters", JSON.valueToTree(counters));
        state.put("clients", clients);
        return state.toString();
    }

    /** The one skeleton definition ({@link CocoKeypoints}) and the drawing settings the page needs. */
    static String skeleton(double keypointScoreThreshold, long staleAfterMs) {
        ObjectNode skeleton = JSON.createObjectNode();
        skeleton.set("keypoints", JSON.valueToTree(CocoKeypoints.NAMES));
        skeleton.set("limbs", JSON.valueToTree(CocoKeypoints.LIMBS));
        skeleton.put("keypointScoreThreshold", keypointScoreThreshold);
        skeleton.put("staleAfterMs", staleAfterMs);
        return skeleton.toString();
    }

    private static ObjectNode person(TrackedPerson person) {
        ObjectNode json = JSON.createObjectNode()
                .put("trackId", person.getTrackId())
                .put("state", person.getState().name())
                .put("score", person.getScore());
        Box box = person.getBox();
        json.putArray("box").add(box.getX1()).add(box.getY1()).add(box.getX2()).add(box.getY2());
        ArrayNode keypoints = json.putArray("keypoints");
        for (Keypoint keypoint : person.getKeypoints()) {
            keypoints.addArray().add(keypoint.getX()).add(keypoint.getY()).add(keypoint.getScore());
        }
        return json;
    }

    private static String dataUrl(Frame frame) {
        ByteBuffer image = frame.getImage().duplicate();
        String type = frame.getEncoding() == ImageEncoding.PNG ? "image/png" : "image/jpeg";
        return "data:" + type + ";base64,"
                + new String(Base64.getEncoder().encode(image).array(), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
