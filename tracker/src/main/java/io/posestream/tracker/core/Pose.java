package io.posestream.tracker.core;

import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.CocoKeypoints;
import java.util.Arrays;

/**
 * One person's pose: the 17 COCO keypoints (x, y in pixels and a score in [0, 1]), the person box and the
 * person score, and optionally the person's colour descriptor ({@link AppearanceDescriptor}). Immutable; the arrays
 * are copied in and never handed out for writing.
 */
public final class Pose {
    private final double[] x;
    private final double[] y;
    private final double[] score;
    private final Bounds box;
    private final double personScore;
    private final float[] appearance;

    public Pose(double[] x, double[] y, double[] score, Bounds box, double personScore) {
        this(x, y, score, box, personScore, null);
    }

    /** A pose with the person's colour descriptor, or null when there is none. */
    public Pose(double[] x, double[] y, double[] score, Bounds box, double personScore, float[] appearance) {
        if (x.length != CocoKeypoints.COUNT || y.length != CocoKeypoints.COUNT || score.length != CocoKeypoints.COUNT) {
            throw new IllegalArgumentException("a pose needs " + CocoKeypoints.COUNT + " keypoints, got " + x.length
                    + "/" + y.length + "/" + score.length);
        }
        this.x = x.clone();
        this.y = y.clone();
        this.score = score.clone();
        this.box = box;
        this.personScore = personScore;
        if (appearance != null && appearance.length != AppearanceDescriptor.LENGTH) {
            throw new IllegalArgumentException("an appearance descriptor has " + AppearanceDescriptor.LENGTH
                    + " values, got " + appearance.length);
        }
        this.appearance = appearance == null ? null : appearance.clone();
    }

    public double x(int k) {
        return x[k];
    }

    public double y(int k) {
        return y[k];
    }

    public double score(int k) {
        return score[k];
    }

    public Bounds box() {
        return box;
    }

    public double personScore() {
        return personScore;
    }

    /** The person's colour descriptor (a copy), or null when the pose came without one. */
    public float[] appearance() {
        return appearance == null ? null : appearance.clone();
    }

    /** The same pose moved by (dx, dy) pixels. */
    public Pose translate(double dx, double dy) {
        double[] nx = x.clone();
        double[] ny = y.clone();
        for (int k = 0; k < nx.length; k++) {
            nx[k] += dx;
            ny[k] += dy;
        }
        return new Pose(nx, ny, score, box.translate(dx, dy), personScore, appearance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pose p
                && Arrays.equals(x, p.x)
                && Arrays.equals(y, p.y)
                && Arrays.equals(score, p.score)
                && box.equals(p.box)
                && personScore == p.personScore
                && Arrays.equals(appearance, p.appearance);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + box.hashCode();
    }

    @Override
    public String toString() {
        return "Pose[box=" + box + ", score=" + personScore + "]";
    }
}
