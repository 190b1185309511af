package io.posestream.analytics.rules;

/** A point of the image plane (x right, y down), in pixels or in frame-normalized units. */
public record Point(double x, double y) {
    /** Cross product of (b - a) and (p - a): positive when p is right of a→b as seen on the image (y down). */
    static double side(Point a, Point b, Point p) {
        return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    }

    /** Whether segments ab and cd cross or touch. */
    static boolean segmentsIntersect(Point a, Point b, Point c, Point d) {
        double d1 = side(c, d, a);
        double d2 = side(c, d, b);
        double d3 = side(a, b, c);
        double d4 = side(a, b, d);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return (d1 == 0 && onSegment(c, d, a))
                || (d2 == 0 && onSegment(c, d, b))
                || (d3 == 0 && onSegment(a, b, c))
                || (d4 == 0 && onSegment(a, b, d));
    }

    private static boolean onSegment(Point a, Point b, Point p) {
        return Math.min(a.x, b.x) <= p.x
                && p.x <= Math.max(a.x, b.x)
                && Math.min(a.y, b.y) <= p.y
                && p.y <= Math.max(a.y, b.y);
    }

    Point scaled(double sx, double sy) {
        return new Point(x * sx, y * sy);
    }
}
