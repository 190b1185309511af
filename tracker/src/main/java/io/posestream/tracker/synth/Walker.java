package io.posestream.tracker.synth;

/**
 * One synthetic person: a COCO-17 skeleton of a given height walking along a path. The path is a straight line,
 * optionally reversing direction at {@code turnAtS} (to leave the picture and come back), at a pace that may
 * wander: {@code wander} pixels ahead and behind, {@code wanderHz} times a second, as real walkers speed up and slow
 * down.
 */
record Walker(
        long id,
        double startX,
        double footY,
        double height,
        double speed,
        double turnAtS,
        double stepHz,
        double phase,
        double wander,
        double wanderHz) {

    Walker(
            long id,
            double startX,
            double footY,
            double height,
            double speed,
            double turnAtS,
            double stepHz,
            double phase) {
        this(id, startX, footY, height, speed, turnAtS, stepHz, phase, 0, 0);
    }

    /** Standing pose relative to the feet centre, in body heights: x to the right, y up (negative = above). */
    private static final double[][] TEMPLATE = {
        {0, -0.93},
        {0.02, -0.945},
        {-0.02, -0.945},
        {0.045, -0.935},
        {-0.045, -0.935},
        {0.11, -0.82},
        {-0.11, -0.82},
        {0.13, -0.63},
        {-0.13, -0.63},
        {0.13, -0.47},
        {-0.13, -0.47},
        {0.07, -0.52},
        {-0.07, -0.52},
        {0.075, -0.28},
        {-0.075, -0.28},
        {0.075, -0.04},
        {-0.075, -0.04}
    };

    double centreX(double t) {
        double sway = wander * Math.sin(2 * Math.PI * wanderHz * t + phase);
        if (t <= turnAtS) {
            return startX + speed * t + sway;
        }
        return startX + speed * turnAtS - speed * (t - turnAtS) + sway;
    }

    /** Keypoints at time {@code t} seconds: {@code [17][2]} pixels. */
    double[][] keypoints(double t) {
        double cx = centreX(t);
        double swing = Math.sin(2 * Math.PI * stepHz * t + phase);
        double[][] points = new double[17][2];
        for (int k = 0; k < 17; k++) {
            double dx = TEMPLATE[k][0];
            // Legs and arms swing in opposition while walking.
            if (k == 13 || k == 14) {
                dx += (k == 13 ? 1 : -1) * 0.04 * swing;
            } else if (k == 15 || k == 16) {
                dx += (k == 15 ? 1 : -1) * 0.09 * swing;
            } else if (k == 9 || k == 10) {
                dx -= (k == 9 ? 1 : -1) * 0.06 * swing;
            } else if (k == 7 || k == 8) {
                dx -= (k == 7 ? 1 : -1) * 0.03 * swing;
            }
            points[k][0] = cx + dx * height;
            points[k][1] = footY + TEMPLATE[k][1] * height;
        }
        return points;
    }

    /** The body box at time t (feet to head top, shoulder width plus arms). */
    double[] box(double t) {
        double cx = centreX(t);
        double half = 0.17 * height;
        return new double[] {cx - half, footY - height, cx + half, footY};
    }
}
