package io.posestream.inference.geometry;

/**
 * A person crop region in source-image pixels: its centre and its size, padding included.
 *
 * <p>This is HRNet's {@code (center, scale)} pair with {@code scale * pixel_std} ({@code pixel_std = 200}) already
 * multiplied out, so {@link #width()} and {@link #height()} are plain pixels. Keeping pixels avoids carrying the
 * arbitrary 200 through every caller; {@link #area()} equals the {@code np.prod(s * 200)} that HRNet's validation
 * stores as a person's "area" for OKS-NMS.
 *
 * @param centerX crop centre, source x in pixels
 * @param centerY crop centre, source y in pixels
 * @param width   crop width in pixels, {@code > 0}
 * @param height  crop height in pixels, {@code > 0}
 */
public record CenterScale(double centerX, double centerY, double width, double height) {

    public CenterScale {
        if (!Double.isFinite(centerX) || !Double.isFinite(centerY)) {
            throw new IllegalArgumentException("crop centre must be finite, got (" + centerX + ", " + centerY + ")");
        }
        // A zero or negative size would make the crop transform singular.
        if (!(width > 0) || !(height > 0) || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("crop size must be finite and positive, got " + width + " x " + height);
        }
    }

    /**
     * The crop region for a detector box, as HRNet's {@code COCODataset._box2cs / _xywh2cs} computes it: the box
     * centre, the shorter side (relative to the model's aspect ratio) raised so the region has exactly the model
     * input's aspect ratio without squashing the person, then both sides multiplied by {@code padding} (HRNet uses
     * 1.25) so that limbs at the box edge stay inside the crop.
     *
     * @param x1          box left, pixels
     * @param y1          box top, pixels
     * @param x2          box right, pixels, {@code >= x1}
     * @param y2          box bottom, pixels, {@code >= y1}
     * @param aspectRatio model input width / height (192/256 = 0.75 for HRNet-W32 256x192)
     * @param padding     size multiplier, HRNet uses 1.25
     * @throws IllegalArgumentException on non-finite input, an inverted or empty box, or
     *                                  {@code aspectRatio}/{@code padding <= 0}
     */
    public static CenterScale ofBox(double x1, double y1, double x2, double y2, double aspectRatio, double padding) {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw new IllegalArgumentException(
                    "box must be finite, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
        }
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException(
                    "box must have x2 >= x1 and y2 >= y1, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
        }
        if (!(aspectRatio > 0) || !Double.isFinite(aspectRatio)) {
            throw new IllegalArgumentException("aspectRatio must be finite and > 0, got " + aspectRatio);
        }
        if (!(padding > 0) || !Double.isFinite(padding)) {
            throw new IllegalArgumentException("padding must be finite and > 0, got " + padding);
        }
        double w = x2 - x1;
        double h = y2 - y1;
        double cx = x1 + w * 0.5;
        double cy = y1 + h * 0.5;
        if (w > aspectRatio * h) {
            h = w / aspectRatio;
        } else {
            w = h * aspectRatio;
        }
        // A box that is empty in both directions stays empty; the constructor rejects it.
        return new CenterScale(cx, cy, w * padding, h * padding);
    }

    /** {@code width * height}: the person "area" HRNet feeds to OKS-NMS ({@code np.prod(scale * 200)}). */
    public double area() {
        return width * height;
    }
}
