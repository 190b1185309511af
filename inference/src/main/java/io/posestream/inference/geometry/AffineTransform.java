package io.posestream.inference.geometry;

/**
 * A 2x3 affine matrix {@code [a b c; d e f]} mapping {@code (x, y)} to {@code (a x + b y + c, d x + e y + f)}.
 *
 * <p>Mirrors the matrices of HRNet's {@code utils/transforms.py}: {@link #cropToOutput} is
 * {@code get_affine_transform(center, scale, rot=0, output_size)}, the forward map used by {@code crop} to warp the
 * source image into the model input (or into heatmap space), and its {@link #inverse()} is what
 * {@code transform_preds} ({@code inv=1}) applies to map heatmap coordinates back to source pixels.
 * {@link #coefficients()} is laid out for OpenCV's {@code warpAffine} (a 2x3 {@code CV_64F} Mat).
 */
public final class AffineTransform {

    private final double a;
    private final double b;
    private final double c;
    private final double d;
    private final double e;
    private final double f;

    private AffineTransform(double a, double b, double c, double d, double e, double f) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.e = e;
        this.f = f;
    }

    /**
     * The map from source pixels to an {@code outWidth x outHeight} grid that puts {@code region}'s centre at the
     * grid centre.
     *
     * <p>HRNet builds this from three point pairs: the centre {@code C -> (W/2, H/2)}; the point half a region-width
     * above it {@code C + (0, -w/2) -> (W/2, H/2 - W/2)}; and a third point obtained by rotating that offset by 90
     * degrees, {@code C + (-w/2, -w/2) -> (W/2 - W/2, H/2 - W/2)} ({@code get_3rd_point}). Both offsets are scaled
     * by {@code W / w}, so the solution of {@code cv2.getAffineTransform} is a uniform scale {@code s = W / w} with
     * no rotation: the region's height never enters and the width ratio scales both axes. For regions built by
     * {@link CenterScale#ofBox} with the output's aspect ratio, {@code H / h == W / w} anyway. This closed form is
     * the exact solution of that system; HRNet solves it from float32 points, so the two agree to float32 rounding.
     *
     * @param region    the crop region, source pixels
     * @param outWidth  output grid width (model input or heatmap width), {@code > 0}
     * @param outHeight output grid height, {@code > 0}
     */
    public static AffineTransform cropToOutput(CenterScale region, int outWidth, int outHeight) {
        if (region == null) {
            throw new IllegalArgumentException("region must not be null");
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + " x " + outHeight);
        }
        double s = outWidth / region.width();
        return new AffineTransform(
                s, 0, outWidth * 0.5 - s * region.centerX(), 0, s, outHeight * 0.5 - s * region.centerY());
    }

    /**
     * The inverse map ({@code get_affine_transform(..., inv=1)}).
     *
     * @throws IllegalStateException if the linear part is singular
     */
    public AffineTransform inverse() {
        double det = a * e - b * d;
        if (det == 0 || !Double.isFinite(det)) {
            throw new IllegalStateException("affine transform is not invertible (determinant " + det + ")");
        }
        double ia = e / det;
        double ib = -b / det;
        double id = -d / det;
        double ie = a / det;
        return new AffineTransform(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
    }

    /** {@code (x, y)} mapped: {@code {a x + b y + c, d x + e y + f}}. */
    public double[] apply(double x, double y) {
        return new double[] {a * x + b * y + c, d * x + e * y + f};
    }

    /** A copy of {@code {a, b, c, d, e, f}}, row-major, as OpenCV's 2x3 {@code CV_64F} warp matrix expects. */
    public double[] coefficients() {
        return new double[] {a, b, c, d, e, f};
    }

    @Override
    public String toString() {
        return "AffineTransform[" + a + " " + b + " " + c + "; " + d + " " + e + " " + f + "]";
    }
}
