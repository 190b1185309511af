package io.posestream.models.hrnet;

/**
 * A network input size in pixels, written {@code HxW} as the official configs name them (256x192, 384x288).
 * HRNet needs both sides divisible by 32: the stem halves twice and the lowest branch is 8 times smaller again,
 * and the fuse layers must upsample each branch back exactly.
 */
public record InputSize(int height, int width) {
    public InputSize {
        if (height <= 0 || width <= 0 || height % 32 != 0 || width % 32 != 0) {
            throw new IllegalArgumentException("HRNet input size " + height + "x" + width
                    + " must be positive multiples of 32 (official: 256x192, 384x288)");
        }
    }

    /** Parses {@code HxW}, e.g. {@code 256x192}. */
    public static InputSize parse(String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        try {
            if (parts.length == 2) {
                return new InputSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Input size '" + text + "' is not HxW, e.g. 256x192 or 384x288");
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
