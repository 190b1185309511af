package io.posestream.analytics.rules;

/**
 * A line that people cross, with a direction (see {@link Polyline} for its positive side).
 *
 * @param margin distance from the line, in source-frame pixels, a ground point must reach on a side before that
 *     side counts: a point jittering on the line does not count crossings back and forth
 */
public record LineRule(String name, Polyline line, boolean normalized, double margin) implements Rule {
    /** Margin used when the rules file gives none: small against a walking step, above keypoint jitter. */
    public static final double DEFAULT_MARGIN_PIXELS = 6;

    /** The line in source-frame pixels for a frame of this size. */
    public Polyline inPixels(int width, int height) {
        return normalized ? line.scaled(width, height) : line;
    }
}
