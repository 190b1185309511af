package io.posestream.analytics.engine;

/** Hand-made tracked persons: a standing or lying skeleton placed by its ground point. */
final class Bodies {
    static final float HEIGHT = 100;

    private Bodies() {}

    /** Standing upright with the feet at (x, y): head at the top, ankles visible at y. */
    static TrackedBody standing(long id, double x, double y) {
        return standing(id, x, y, TrackPhase.CONFIRMED);
    }

    static TrackedBody standing(long id, double x, double y, TrackPhase phase) {
        float[] k = new float[51];
        // y of each keypoint as a fraction of the height above the feet.
        double[] up = {0.93, 0.95, 0.95, 0.94, 0.94, 0.82, 0.82, 0.65, 0.65, 0.5, 0.5, 0.52, 0.52, 0.27, 0.27, 0, 0};
        double[] dx = {0, -3, 3, -6, 6, -12, 12, -14, 14, -15, 15, -8, 8, -8, 8, -7, 7};
        for (int i = 0; i < 17; i++) {
            set(k, i, x + dx[i], y - up[i] * HEIGHT);
        }
        return body(id, phase, k);
    }

    /** Standing with both wrists above the head. */
    static TrackedBody handsUp(long id, double x, double y) {
        TrackedBody b = standing(id, x, y);
        float[] k = b.keypoints().clone();
        set(k, TrackedBody.LEFT_WRIST, x - 15, y - 1.1 * HEIGHT);
        set(k, TrackedBody.RIGHT_WRIST, x + 15, y - 1.1 * HEIGHT);
        return body(id, TrackPhase.CONFIRMED, k);
    }

    /** Lying on the ground along x, the hips at (x, y). */
    static TrackedBody lying(long id, double x, double y) {
        float[] k = new float[51];
        double[] along = {0.45, 0.47, 0.47, 0.43, 0.43, 0.3, 0.3, 0.15, 0.15, 0.02, 0.02, 0, 0, -0.25, -0.25, -0.5, -0.5
        };
        double[] dy = {-2, -5, 1, -6, 2, -8, 4, -8, 4, -8, 4, -6, 4, -6, 4, -5, 3};
        for (int i = 0; i < 17; i++) {
            set(k, i, x + along[i] * HEIGHT, y + dy[i]);
        }
        return body(id, TrackPhase.CONFIRMED, k);
    }

    /** Ankles not visible: the ground point falls back to the box's bottom centre. */
    static TrackedBody withoutAnkles(TrackedBody b) {
        float[] k = b.keypoints().clone();
        k[3 * TrackedBody.LEFT_ANKLE + 2] = 0.05f;
        k[3 * TrackedBody.RIGHT_ANKLE + 2] = 0.05f;
        return body(b.trackId(), b.phase(), k);
    }

    /** Shoulders and hips not visible: no torso to measure. */
    static TrackedBody withoutTorso(TrackedBody b) {
        float[] k = b.keypoints().clone();
        for (int i : new int[] {5, 6, 11, 12}) {
            k[3 * i + 2] = 0.05f;
        }
        return body(b.trackId(), b.phase(), k);
    }

    private static void set(float[] k, int i, double x, double y) {
        k[3 * i] = (float) x;
        k[3 * i + 1] = (float) y;
        k[3 * i + 2] = 0.9f;
    }

    private static TrackedBody body(long id, TrackPhase phase, float[] k) {
        float x1 = Float.MAX_VALUE;
        float y1 = Float.MAX_VALUE;
        float x2 = -Float.MAX_VALUE;
        float y2 = -Float.MAX_VALUE;
        for (int i = 0; i < 17; i++) {
            x1 = Math.min(x1, k[3 * i]);
            y1 = Math.min(y1, k[3 * i + 1]);
            x2 = Math.max(x2, k[3 * i]);
            y2 = Math.max(y2, k[3 * i + 1]);
        }
        // Boxes reach a little below the ankles, as a detector's do.
        return new TrackedBody(0, id, phase, x1 - 4, y1 - 4, x2 + 4, y2 + 6, k);
    }

    static TrackedBody at(int index, TrackedBody b) {
        return new TrackedBody(index, b.trackId(), b.phase(), b.x1(), b.y1(), b.x2(), b.y2(), b.keypoints());
    }
}
