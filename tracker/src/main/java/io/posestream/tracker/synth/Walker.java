package io.posestream.tracker.synth;

/**
 * One synthetic person: a COCO-17 skeleton of a given height walking along a path. The path is a straight line,
 * optionally reversing direction at {@code turnAtS} (to leave the picture and come back), at a pace that may
 * wander: {@code wander} pixels ahead and behind, {@code wanderHz} times a second, as real walkers speed up and slow
 * down. A walker may fall ({@code fallAtS}): from then on it stops and its whole body turns about the feet, over
 * {@link #FALL_SECONDS}, to lie on the ground ({@link #FALL_DEGREES} from upright), and stays there.
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
        double wanderHz,
        double fallAtS) {
    /** How long a fall takes, from upright to lying. */
    static final double FALL_SECONDS = 0.5;
    /** How far from upright a fallen person lies (not quite flat: the head stays a little up). */
    static final double FALL_DEGREES = 85;

    /** A walker who never falls. */
    Walker(
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
        this(id, startX, footY, height, speed, turnAtS, stepHz, phase, wander, wanderHz, Double.POSITIVE_INFINITY);
    }

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

    /** The same walker, falling at {@code atS} seconds. */
    Walker fallingAt(double atS) {
        return new Walker(id, startX, footY, height, speed, turnAtS, stepHz, phase, wander, wanderHz, atS);
    }

    /**
     * Angle from upright at time t, in radians: 0 until the fall, then turning to {@link #FALL_DEGREES}, towards the
     * middle of the picture so the fallen body stays in it.
     */
    private double fallAngle(double t) {
        if (t <= fallAtS) {
            return 0;
        }
        double towardsMiddle = centreX(fallAtS) > SceneGenerator.WIDTH / 2.0 ? -1 : 1;
        return towardsMiddle * Math.toRadians(FALL_DEGREES) * Math.min(1, (t - fallAtS) / FALL_SECONDS);
    }

    /** Turns a point given relative to the feet (pixels, y down) by the fall angle (positive: towards +x). */
    private static double[] turned(double dx, double dy, double angle) {
        return new double[] {dx * Math.cos(angle) - dy * Math.sin(angle), dx * Math.sin(angle) + dy * Math.cos(angle)};
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
        // A fallen walker stays where it fell.
        t = Math.min(t, fallAtS);
        double sway = wander * Math.sin(2 * Math.PI * wanderHz * t + phase);
        if (t <= turnAtS) {
            return startX + speed * t + sway;
        }
        return startX + speed * turnAtS - speed * (t - turnAtS) + sway;
    }

    /** Keypoints at time {@code t} seconds: {@code [17][2]} pixels. */
    double[][] keypoints(double t) {
        double cx = centreX(t);
        double swing = Math.sin(2 * Math.PI * stepHz * Math.min(t, fallAtS) + phase);
        double angle = fallAngle(t);
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
            double[] p = turned(dx * height, TEMPLATE[k][1] * height, angle);
            points[k][0] = cx + p[0];
            points[k][1] = footY + p[1];
        }
        return points;
    }

    /** The body box at time t (feet to head top, shoulder width plus arms). */
    double[] box(double t) {
        double cx = centreX(t);
        double half = 0.17 * height;
        double angle = fallAngle(t);
        if (angle == 0) {
            return new double[] {cx - half, footY - height, cx + half, footY};
        }
        // The box of the turned upright box.
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] corner : new double[][] {{-half, -height}, {half, -height}, {-half, 0}, {half, 0}}) {
            double[] p = turned(corner[0], corner[1], angle);
            box[0] = Math.min(box[0], cx + p[0]);
            box[1] = Math.min(box[1], footY + p[1]);
            box[2] = Math.max(box[2], cx + p[0]);
            box[3] = Math.max(box[3], footY + p[1]);
        }
        return box;
    }
}
