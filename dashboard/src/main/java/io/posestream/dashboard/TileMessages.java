package io.posestream.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackedPerson;
import io.posestream.schemas.CocoKeypoints;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;

/** The JSON the page receives: a camera's tile, its figures, the skip counters, and the skeleton definition. */
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

    /** Current figures of every camera and the counters, without images: for {@code /api/state}. */
    static String state(Collection<CameraFigures> cameras, SkipCounters counters, int clients) {
        ObjectNode state = JSON.createObjectNode();
        ObjectNode byCamera = state.putObject("cameras");
        cameras.forEach(f -> byCamera.set(f.cameraId(), JSON.valueToTree(f)));
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
