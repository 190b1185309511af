package io.posestream.analytics.rules;

import java.util.List;

/**
 * A line of one or more segments that people cross. Its positive side is the right-hand side walking from its
 * first point to its last, as seen on the image (x right, y down).
 */
public record Polyline(List<Point> points) {
    public Polyline {
        points = List.copyOf(points);
    }

    /** Whether the step from a to b crosses (or touches) the line. */
    public boolean crossedBy(Point a, Point b) {
        for (int i = 0; i + 1 < points.size(); i++) {
            if (Point.segmentsIntersect(a, b, points.get(i), points.get(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Signed distance of p from the line: the distance to the nearest segment, positive on the positive side of
     * that segment.
     */
    public double signedDistance(Point p) {
        double best = Double.MAX_VALUE;
        double signed = 0;
        for (int i = 0; i + 1 < points.size(); i++) {
            Point a = points.get(i);
            Point b = points.get(i + 1);
            double dx = b.x() - a.x();
            double dy = b.y() - a.y();
            double lengthSquared = dx * dx + dy * dy;
            double t = lengthSquared == 0
                    ? 0
                    : Math.max(0, Math.min(1, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / lengthSquared));
            double ex = p.x() - (a.x() + t * dx);
            double ey = p.y() - (a.y() + t * dy);
            // Not Math.hypot: pixel distances cannot overflow, and hypot is several times slower (every event).
            double distance = Math.sqrt(ex * ex + ey * ey);
            if (distance < best) {
                best = distance;
                signed = Point.side(a, b, p) >= 0 ? distance : -distance;
            }
        }
        return signed;
    }

    Polyline scaled(double sx, double sy) {
        return new Polyline(points.stream().map(p -> p.scaled(sx, sy)).toList());
    }
}
