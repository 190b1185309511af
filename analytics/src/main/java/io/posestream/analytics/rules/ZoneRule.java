package io.posestream.analytics.rules;

/**
 * A zone: occupancy (CONFIRMED tracks whose ground point is inside), enter and exit of each track, overcrowding
 * above a threshold and dwell longer than a time.
 *
 * @param polygon the outline, in pixels or (when {@code normalized}) in fractions of the frame's width and height
 * @param overcrowding more than this many people inside is overcrowded; negative for no overcrowding rule
 * @param dwellMs a track inside this long raises a dwell event once per stay; 0 for no dwell rule
 */
public record ZoneRule(String name, Polygon polygon, boolean normalized, int overcrowding, long dwellMs)
        implements Rule {
    /** The outline in source-frame pixels for a frame of this size. */
    public Polygon inPixels(int width, int height) {
        return normalized ? polygon.scaled(width, height) : polygon;
    }
}
