package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Bounds;
import io.posestream.tracker.core.Pose;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PoseTrack-2018-style JSON file: {@code images} (with {@code vid_id} and frame order from {@code frame_id},
 * else {@code id}), {@code annotations} (with {@code image_id}, {@code keypoints} as 17 x,y,score triples in COCO
 * order, {@code bbox} as x,y,w,h, {@code score}, and {@code track_id} once tracked). The JSON tree is kept as read,
 * so fields this code does not know travel through replay unchanged.
 */
public final class PoseTrackData {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;
    private final String source;
    private final Map<String, List<FrameRecord>> videos;

    /** One image of a video in frame order, with its annotations. */
    public record FrameRecord(long imageId, long timestampMs, ObjectNode image, List<ObjectNode> annotations) {}

    private PoseTrackData(ObjectNode root, String source, Map<String, List<FrameRecord>> videos) {
        this.root = root;
        this.source = source;
        this.videos = videos;
    }

    public static PoseTrackData read(Path file, double fps) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        return of(root, file.toString(), fps);
    }

    /**
     * Indexes a parsed file. Frame times come from the image's {@code timestamp_ms} when present, else from the
     * frame's position in its video at {@code fps}.
     */
    public static PoseTrackData of(JsonNode tree, String source, double fps) {
        if (!(tree instanceof ObjectNode root)
                || !root.path("images").isArray()
                || !root.path("annotations").isArray()) {
            throw new IllegalArgumentException(source + ": expected an object with arrays 'images' and 'annotations'");
        }
        Map<Long, ObjectNode> images = new LinkedHashMap<>();
        for (JsonNode image : root.get("images")) {
            if (!image.path("id").canConvertToLong()) {
                throw new IllegalArgumentException(source + ": image without a numeric 'id': " + image);
            }
            images.put(image.get("id").asLong(), (ObjectNode) image);
        }
        Map<Long, List<ObjectNode>> byImage = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode annotation : root.get("annotations")) {
            long imageId = annotation.path("image_id").asLong(Long.MIN_VALUE);
            if (!images.containsKey(imageId)) {
                throw new IllegalArgumentException(source + ": annotation #" + index + " refers to image_id "
                        + annotation.path("image_id") + " which is not in 'images'");
            }
            byImage.computeIfAbsent(imageId, k -> new ArrayList<>()).add((ObjectNode) annotation);
            index++;
        }
        Map<String, List<ObjectNode>> videoImages = new LinkedHashMap<>();
        for (ObjectNode image : images.values()) {
            String video = image.has("vid_id") ? image.get("vid_id").asText() : "0";
            videoImages.computeIfAbsent(video, k -> new ArrayList<>()).add(image);
        }
        Map<String, List<FrameRecord>> videos = new LinkedHashMap<>();
        for (var entry : videoImages.entrySet()) {
            List<ObjectNode> ordered = new ArrayList<>(entry.getValue());
            ordered.sort(Comparator.comparingLong(i ->
                    i.has("frame_id") ? i.get("frame_id").asLong() : i.get("id").asLong()));
            List<FrameRecord> frames = new ArrayList<>();
            for (int f = 0; f < ordered.size(); f++) {
                ObjectNode image = ordered.get(f);
                long id = image.get("id").asLong();
                long time =
                        image.has("timestamp_ms") ? image.get("timestamp_ms").asLong() : Math.round(f * 1000.0 / fps);
                frames.add(new FrameRecord(id, time, image, byImage.getOrDefault(id, List.of())));
            }
            videos.put(entry.getKey(), frames);
        }
        return new PoseTrackData(root, source, videos);
    }

    public String source() {
        return source;
    }

    public ObjectNode root() {
        return root;
    }

    /** Videos by id, each in frame order. */
    public Map<String, List<FrameRecord>> videos() {
        return videos;
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** A copy of this file with the annotations replaced (the images and everything else kept). */
    public PoseTrackData withAnnotations(List<ObjectNode> annotations, double fps) {
        ObjectNode copy = root.deepCopy();
        ArrayNode array = copy.putArray("annotations");
        annotations.forEach(array::add);
        return of(copy, source, fps);
    }

    /** The pose of an annotation; {@code where} names it in errors. Keypoint scores are the third values. */
    public static Pose pose(JsonNode annotation, String where) {
        JsonNode keypoints = keypoints(annotation, where);
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        double scoreSum = 0;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            x[k] = keypoints.get(3 * k).asDouble();
            y[k] = keypoints.get(3 * k + 1).asDouble();
            s[k] = keypoints.get(3 * k + 2).asDouble();
            scoreSum += s[k];
            if (s[k] > 0) {
                minX = Math.min(minX, x[k]);
                minY = Math.min(minY, y[k]);
                maxX = Math.max(maxX, x[k]);
                maxY = Math.max(maxY, y[k]);
            }
        }
        Bounds box;
        JsonNode bbox = annotation.path("bbox");
        if (bbox.isArray() && bbox.size() == 4) {
            box = new Bounds(
                    bbox.get(0).asDouble(),
                    bbox.get(1).asDouble(),
                    bbox.get(0).asDouble() + bbox.get(2).asDouble(),
                    bbox.get(1).asDouble() + bbox.get(3).asDouble());
        } else if (minX <= maxX) {
            box = new Bounds(minX, minY, maxX, maxY);
        } else {
            throw new IllegalArgumentException(where + ": no 'bbox' and no keypoint with a score above 0");
        }
        double score = annotation.has("score") ? annotation.get("score").asDouble() : scoreSum / CocoKeypoints.COUNT;
        return new Pose(x, y, s, box, score, appearance(annotation, where));
    }

    /** An annotation's optional {@code appearance} (the colour descriptor of Person.appearance), or null. */
    static float[] appearance(JsonNode annotation, String where) {
        JsonNode values = annotation.path("appearance");
        return values.isMissingNode() || values.isNull() ? null : descriptor(values, where + ": 'appearance'");
    }

    /**
     * A colour descriptor ({@link AppearanceDescriptor}) written as a JSON array; {@code what} names it in the error
     * when it is not {@link AppearanceDescriptor#LENGTH} numbers.
     */
    public static float[] descriptor(JsonNode values, String what) {
        if (!values.isArray() || values.size() != AppearanceDescriptor.LENGTH) {
            throw new IllegalArgumentException(what + " must be " + AppearanceDescriptor.LENGTH
                    + " numbers (a colour descriptor), got "
                    + (values.isArray() ? values.size() + " values" : values.getNodeType()));
        }
        float[] d = new float[AppearanceDescriptor.LENGTH];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) values.get(i).asDouble();
        }
        return d;
    }

    /** Writes a colour descriptor as an annotation's {@code appearance}; nothing when it is null. */
    public static void putAppearance(ObjectNode annotation, float[] appearance) {
        if (appearance != null) {
            addDescriptor(annotation.putArray("appearance"), appearance);
        }
    }

    /** Adds a colour descriptor's values to {@code into}, to 4 decimals (what {@link #descriptor} reads back). */
    public static void addDescriptor(ArrayNode into, float[] descriptor) {
        for (float v : descriptor) {
            into.add(Math.round(v * 1e4) / 1e4);
        }
    }

    /** An annotation's {@code keypoints} array, refused unless it holds 17 x, y, score triples. */
    static JsonNode keypoints(JsonNode annotation, String where) {
        JsonNode keypoints = annotation.path("keypoints");
        if (!keypoints.isArray() || keypoints.size() != 3 * CocoKeypoints.COUNT) {
            throw new IllegalArgumentException(where + ": 'keypoints' must be " + 3 * CocoKeypoints.COUNT
                    + " numbers (x, y, score for each COCO keypoint), got "
                    + (keypoints.isArray() ? keypoints.size() + " values" : keypoints.getNodeType()));
        }
        return keypoints;
    }

    /** Where an annotation is, for error messages. */
    public String where(FrameRecord frame, int annotationIndex) {
        return source + ": image " + frame.imageId() + ", annotation " + annotationIndex;
    }
}
