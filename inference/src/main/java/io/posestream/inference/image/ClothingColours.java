package io.posestream.inference.image;

import io.posestream.schemas.AppearanceDescriptor;
import org.bytedeco.javacpp.indexer.UByteIndexer;

/**
 * A person's colour descriptor ({@link AppearanceDescriptor}): where the keypoints put the torso (the quadrilateral
 * of shoulders and hips, inset from its sides, so arms and background weigh little) and the legs (points along
 * hip-knee and knee-ankle), pixels are read from the source frame and binned by colour. Pose-guided rather than
 * from the box, because a box around a walking person is half background. A coloured pixel goes to the two
 * nearest of twelve hue bins, a grey one to one of four grey levels, and one in between to both sides by its
 * saturation and brightness, so a colour near a threshold does not flip from frame to frame.
 */
public final class ClothingColours {
    private static final int LEFT_SHOULDER = 5;
    private static final int RIGHT_SHOULDER = 6;
    private static final int LEFT_HIP = 11;
    private static final int RIGHT_HIP = 12;
    private static final int LEFT_KNEE = 13;
    private static final int RIGHT_KNEE = 14;
    private static final int LEFT_ANKLE = 15;
    private static final int RIGHT_ANKLE = 16;
    /** Fewer samples than this in a region leave the region unsampled (all 0). */
    private static final int MIN_SAMPLES = 8;

    private ClothingColours() {}

    /**
     * The descriptor of the person whose keypoint {@code k} is at ({@code x[k]}, {@code y[k]}) in the image's pixels
     * with confidence {@code scores[k]}; joints below {@code keypointThreshold} are not used.
     */
    public static float[] describe(SourceImage image, float[] x, float[] y, float[] scores, double keypointThreshold) {
        float[] d = new float[AppearanceDescriptor.LENGTH];
        try (UByteIndexer pixels = image.bgr().createIndexer()) {
            Sampler s = new Sampler(pixels, image.width(), image.height(), d);
            int[] torso = {LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP};
            if (confident(scores, keypointThreshold, torso)) {
                // The inner part of the torso: u across from the left to the right side, v down from shoulders to hips.
                for (double v = 0.15; v < 0.95; v += 0.15) {
                    for (double u = 0.25; u < 0.8; u += 0.125) {
                        double tx = lerp(x[LEFT_SHOULDER], x[RIGHT_SHOULDER], u);
                        double ty = lerp(y[LEFT_SHOULDER], y[RIGHT_SHOULDER], u);
                        double bx = lerp(x[LEFT_HIP], x[RIGHT_HIP], u);
                        double by = lerp(y[LEFT_HIP], y[RIGHT_HIP], u);
                        s.sample(AppearanceDescriptor.TORSO, lerp(tx, bx, v), lerp(ty, by, v));
                    }
                }
            }
            int[][] bones = {
                {LEFT_HIP, LEFT_KNEE}, {LEFT_KNEE, LEFT_ANKLE}, {RIGHT_HIP, RIGHT_KNEE}, {RIGHT_KNEE, RIGHT_ANKLE}
            };
            for (int[] bone : bones) {
                if (confident(scores, keypointThreshold, bone)) {
                    // Not at the joints themselves, where the leg meets the torso, the other leg or the floor.
                    for (double t = 0.15; t < 0.9; t += 0.1) {
                        s.sample(
                                AppearanceDescriptor.LEGS,
                                lerp(x[bone[0]], x[bone[1]], t),
                                lerp(y[bone[0]], y[bone[1]], t));
                    }
                }
            }
            s.normalise(AppearanceDescriptor.TORSO);
            s.normalise(AppearanceDescriptor.LEGS);
        }
        return d;
    }

    private static boolean confident(float[] scores, double threshold, int[] joints) {
        for (int k : joints) {
            if (k >= scores.length || !(scores[k] >= threshold)) {
                return false;
            }
        }
        return true;
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    /** Adds pixels to a region's bins and counts them. */
    private static final class Sampler {
        private final UByteIndexer pixels;
        private final int width;
        private final int height;
        private final float[] d;
        private final int[] samples = new int[AppearanceDescriptor.REGIONS];

        Sampler(UByteIndexer pixels, int width, int height, float[] d) {
            this.pixels = pixels;
            this.width = width;
            this.height = height;
            this.d = d;
        }

        void sample(int region, double px, double py) {
            int col = (int) Math.round(px);
            int row = (int) Math.round(py);
            if (col < 0 || row < 0 || col >= width || row >= height) {
                return;
            }
            double b = pixels.get(row, col, 0) / 255.0;
            double g = pixels.get(row, col, 1) / 255.0;
            double r = pixels.get(row, col, 2) / 255.0;
            double max = Math.max(r, Math.max(g, b));
            double min = Math.min(r, Math.min(g, b));
            double saturation = max == 0 ? 0 : (max - min) / max;
            // How coloured the pixel is: 0 below saturation 0.15 or brightness 0.1, 1 from 0.35 and 0.3.
            double coloured = clamp((saturation - 0.15) / 0.2) * clamp((max - 0.1) / 0.2);
            int base = region * AppearanceDescriptor.BINS;
            if (coloured > 0) {
                double hue = hueDegrees(r, g, b, max, min);
                double position = hue / (360.0 / AppearanceDescriptor.HUE_BINS) - 0.5;
                int lower = (int) Math.floor(position);
                double frac = position - lower;
                d[base + Math.floorMod(lower, AppearanceDescriptor.HUE_BINS)] += (float) (coloured * (1 - frac));
                d[base + Math.floorMod(lower + 1, AppearanceDescriptor.HUE_BINS)] += (float) (coloured * frac);
            }
            if (coloured < 1) {
                int grey = Math.min(AppearanceDescriptor.GREY_BINS - 1, (int) (max * AppearanceDescriptor.GREY_BINS));
                d[base + AppearanceDescriptor.HUE_BINS + grey] += (float) (1 - coloured);
            }
            samples[region]++;
        }

        void normalise(int region) {
            int from = region * AppearanceDescriptor.BINS;
            int to = from + AppearanceDescriptor.BINS;
            if (samples[region] < MIN_SAMPLES) {
                java.util.Arrays.fill(d, from, to, 0f);
                return;
            }
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += d[i];
            }
            for (int i = from; i < to; i++) {
                d[i] = (float) (d[i] / sum);
            }
        }

        private static double hueDegrees(double r, double g, double b, double max, double min) {
            double c = max - min;
            if (c == 0) {
                return 0;
            }
            double h;
            if (max == r) {
                h = ((g - b) / c) % 6;
            } else if (max == g) {
                h = (b - r) / c + 2;
            } else {
                h = (r - g) / c + 4;
            }
            return (h * 60 + 360) % 360;
        }

        private static double clamp(double v) {
            return Math.max(0, Math.min(1, v));
        }
    }
}
