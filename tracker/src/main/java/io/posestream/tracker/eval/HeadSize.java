package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The PCKh normaliser of a ground-truth person. With a head box ({@code bbox_head}: x, y, w, h) it is PoseTrack's
 * own {@code 0.6 * diagonal}. COCO-17 ground truth has no head box, so one is derived from the body: a square of
 * side {@code height / 7.5} (the classic proportion of a standing adult, 7.5 heads tall), whose
 * {@code 0.6 * diagonal} is about {@code 0.113 * height}; the height is the person box's ({@code bbox}), else the
 * vertical extent of the annotated keypoints.
 */
public final class HeadSize {
    public static final double HEADS_PER_BODY = 7.5;

    private HeadSize() {}

    public static double of(JsonNode annotation, String where) {
        JsonNode head = annotation.path("bbox_head");
        if (head.isArray() && head.size() == 4) {
            return 0.6 * Math.hypot(head.get(2).asDouble(), head.get(3).asDouble());
        }
        double height;
        JsonNode box = annotation.path("bbox");
        if (box.isArray() && box.size() == 4) {
            height = box.get(3).asDouble();
        } else {
            JsonNode keypoints = annotation.path("keypoints");
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int k = 0; k + 2 < keypoints.size(); k += 3) {
                if (keypoints.get(k + 2).asDouble() > 0) {
                    min = Math.min(min, keypoints.get(k + 1).asDouble());
                    max = Math.max(max, keypoints.get(k + 1).asDouble());
                }
            }
            height = max - min;
        }
        if (!(height > 0)) {
            throw new IllegalArgumentException(where + ": cannot derive a head size (no bbox_head, no bbox, "
                    + "no visible keypoints spread vertically)");
        }
        return fromBodyHeight(height);
    }

    public static double fromBodyHeight(double height) {
        double side = height / HEADS_PER_BODY;
        return 0.6 * Math.sqrt(2) * side;
    }
}
