package io.posestream.analytics.rules;

import java.util.List;

/** A simple (not self-intersecting) polygon: the outline of a zone. */
public record Polygon(List<Point> points) {
    public Polygon {
        points = List.copyOf(points);
    }

    /** Whether p is inside (even-odd ray casting; a point on the outline may fall either way). */
    public boolean contains(Point p) {
        boolean inside = false;
        for (int i = 0, j = points.size() - 1; i < points.size(); j = i++) {
            Point a = points.get(i);
            Point b = points.get(j);
            if ((a.y() > p.y()) != (b.y() > p.y())
                    && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** Twice the signed area (shoelace); zero for a degenerate outline. */
    double doubleArea() {
        double sum = 0;
        for (int i = 0, j = points.size() - 1; i < points.size(); j = i++) {
            sum += points.get(j).x() * points.get(i).y()
                    - points.get(i).x() * points.get(j).y();
        }
        return sum;
    }

    /** The first pair of non-adjacent edges that cross, as edge indexes (edge i runs from point i), or null. */
    int[] crossingEdges() {
        int n = points.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean adjacent = j == i + 1 || (i == 0 && j == n - 1);
                if (!adjacent
                        && Point.segmentsIntersect(
                                points.get(i), points.get((i + 1) % n), points.get(j), points.get((j + 1) % n))) {
                    return new int[] {i, j};
                }
            }
        }
        return null;
    }

    Polygon scaled(double sx, double sy) {
        return new Polygon(points.stream().map(p -> p.scaled(sx, sy)).toList());
    }
}
