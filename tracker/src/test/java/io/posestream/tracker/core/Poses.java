package io.posestream.tracker.core;

import io.posestream.schemas.AppearanceDescriptor;

/** Hand-made poses for tests: an upright stick figure of a given height with its feet at (cx, footY). */
public final class Poses {
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

    private Poses() {}

    public static Pose person(double cx, double footY, double height, double score) {
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = cx + TEMPLATE[k][0] * height;
            y[k] = footY + TEMPLATE[k][1] * height;
            s[k] = 0.9;
        }
        return new Pose(x, y, s, new Bounds(cx - 0.17 * height, footY - height, cx + 0.17 * height, footY), score);
    }

    public static Pose person(double cx, double footY) {
        return person(cx, footY, 300, 0.9);
    }

    /** The same pose with a colour descriptor: all of the torso in hue bin {@code torso}, the legs in {@code legs}. */
    public static Pose dressed(Pose pose, int torso, int legs) {
        float[] colours = new float[AppearanceDescriptor.LENGTH];
        colours[torso] = 1;
        colours[AppearanceDescriptor.BINS + legs] = 1;
        double[] x = new double[17];
        double[] y = new double[17];
        double[] s = new double[17];
        for (int k = 0; k < 17; k++) {
            x[k] = pose.x(k);
            y[k] = pose.y(k);
            s[k] = pose.score(k);
        }
        return new Pose(x, y, s, pose.box(), pose.personScore(), colours);
    }
}
