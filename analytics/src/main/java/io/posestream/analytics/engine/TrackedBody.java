package io.posestream.analytics.engine;

import io.posestream.schemas.CocoKeypoints;

/**
 * One tracked person of a frame as the engine sees it.
 *
 * @param index position of the person in the frame's list, so an activity can point back at its pose
 * @param keypoints x, y, score of the 17 COCO keypoints, in source-frame pixels
 */
public record TrackedBody(
        int index, long trackId, TrackPhase phase, float x1, float y1, float x2, float y2, float[] keypoints) {
    /** Keypoints scored below this are not looked at. */
    public static final float MIN_KEYPOINT_SCORE = 0.3f;

    public static final int LEFT_SHOULDER = 5;
    public static final int RIGHT_SHOULDER = 6;
    public static final int LEFT_WRIST = 9;
    public static final int RIGHT_WRIST = 10;
    public static final int LEFT_HIP = 11;
    public static final int RIGHT_HIP = 12;
    public static final int LEFT_ANKLE = 15;
    public static final int RIGHT_ANKLE = 16;
    /** Nose, eyes and ears: the head. */
    public static final int HEAD_KEYPOINTS = 5;

    public TrackedBody {
        if (keypoints.length != 3 * CocoKeypoints.COUNT) {
            throw new IllegalArgumentException(
                    "track " + trackId + " has " + keypoints.length / 3 + " keypoints, not " + CocoKeypoints.COUNT);
        }
    }

    public float x(int keypoint) {
        return keypoints[3 * keypoint];
    }

    public float y(int keypoint) {
        return keypoints[3 * keypoint + 1];
    }

    public boolean visible(int keypoint) {
        return keypoints[3 * keypoint + 2] >= MIN_KEYPOINT_SCORE;
    }

    /** Where the person stands: midpoint of the ankles when both are visible, else the box's bottom centre. */
    public double[] groundPoint() {
        if (visible(LEFT_ANKLE) && visible(RIGHT_ANKLE)) {
            return new double[] {(x(LEFT_ANKLE) + x(RIGHT_ANKLE)) / 2.0, (y(LEFT_ANKLE) + y(RIGHT_ANKLE)) / 2.0};
        }
        return new double[] {(x1 + x2) / 2.0, y2};
    }

    /** Midpoint of the visible ones of two keypoints, or null when neither is visible. */
    double[] midpoint(int a, int b) {
        if (visible(a) && visible(b)) {
            return new double[] {(x(a) + x(b)) / 2.0, (y(a) + y(b)) / 2.0};
        }
        if (visible(a) || visible(b)) {
            int k = visible(a) ? a : b;
            return new double[] {x(k), y(k)};
        }
        return null;
    }
}
