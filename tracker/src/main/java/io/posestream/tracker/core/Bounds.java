package io.posestream.tracker.core;

/** An axis-aligned box in pixels, {@code x1 <= x2}, {@code y1 <= y2}. */
public record Bounds(double x1, double y1, double x2, double y2) {

    public double width() {
        return Math.max(0, x2 - x1);
    }

    public double height() {
        return Math.max(0, y2 - y1);
    }

    public double area() {
        return width() * height();
    }

    public double centreX() {
        return (x1 + x2) / 2;
    }

    public double centreY() {
        return (y1 + y2) / 2;
    }

    public Bounds translate(double dx, double dy) {
        return new Bounds(x1 + dx, y1 + dy, x2 + dx, y2 + dy);
    }

    /** Intersection over union; 0 when either box is empty. */
    public double iou(Bounds other) {
        double iw = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double ih = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
