package io.posestream.schemas;

import java.util.List;

/**
 * The layout of {@code Person.appearance}, shared by the worker that computes it and the tracker that compares it:
 * a colour histogram of the torso, then one of the legs, each of {@value #BINS} bins (first {@value #HUE_BINS} hues
 * of coloured pixels, then {@value #GREY_BINS} grey levels of the rest, darkest first) summing to 1, or all 0 when
 * the region could not be sampled. Two descriptors are compared region by region with the Bhattacharyya
 * coefficient, the usual measure between colour histograms: 1 for the same colours, 0 for none in common.
 */
public final class AppearanceDescriptor {
    public static final int HUE_BINS = 12;
    public static final int GREY_BINS = 4;
    public static final int BINS = HUE_BINS + GREY_BINS;
    public static final int REGIONS = 2;
    public static final int LENGTH = REGIONS * BINS;
    public static final int TORSO = 0;
    public static final int LEGS = 1;

    private AppearanceDescriptor() {}

    /**
     * Mean Bhattacharyya coefficient over the regions both descriptors have, in [0, 1]; NaN when either is null or
     * they have no region in common (nothing to compare, which is not a difference).
     */
    public static double similarity(float[] a, float[] b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        requireLength(a);
        requireLength(b);
        double sum = 0;
        int regions = 0;
        for (int r = 0; r < REGIONS; r++) {
            if (!present(a, r) || !present(b, r)) {
                continue;
            }
            double bc = 0;
            for (int i = r * BINS; i < (r + 1) * BINS; i++) {
                bc += Math.sqrt(Math.max(0, a[i]) * (double) Math.max(0, b[i]));
            }
            sum += Math.min(1, bc);
            regions++;
        }
        return regions == 0 ? Double.NaN : sum / regions;
    }

    /** Whether region {@code r} of {@code d} was sampled (its bins are not all 0). */
    public static boolean present(float[] d, int r) {
        for (int i = r * BINS; i < (r + 1) * BINS; i++) {
            if (d[i] > 0) {
                return true;
            }
        }
        return false;
    }

    /** The descriptor of a record's field (null stays null), checked for its length. */
    public static float[] of(List<Float> values) {
        if (values == null) {
            return null;
        }
        float[] d = new float[values.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = values.get(i);
        }
        return requireLength(d);
    }

    /** The record field's value for a descriptor (null stays null). */
    public static List<Float> toList(float[] d) {
        if (d == null) {
            return null;
        }
        Float[] boxed = new Float[requireLength(d).length];
        for (int i = 0; i < d.length; i++) {
            boxed[i] = d[i];
        }
        return List.of(boxed);
    }

    private static float[] requireLength(float[] d) {
        if (d.length != LENGTH) {
            throw new IllegalArgumentException("an appearance descriptor has " + LENGTH + " values (" + REGIONS
                    + " regions of " + BINS + " bins), got " + d.length);
        }
        return d;
    }
}
