package io.posestream.inference.crops;

/**
 * A frame shrunk to a few thousand grey cells (each the mean of its block of pixels), enough to see where the picture
 * changed between two frames of a camera without looking at the pixels again.
 *
 * @param width  cells across
 * @param height cells down
 * @param grey   {@code width * height} grey levels 0..255, row-major
 */
public record Thumbnail(int width, int height, byte[] grey) {
    public Thumbnail {
        if (width < 1 || height < 1 || grey == null || grey.length != width * height) {
            throw new IllegalArgumentException("a thumbnail of " + width + "x" + height + " needs " + (width * height)
                    + " grey values, got " + (grey == null ? "none" : grey.length));
        }
    }

    /** Grey level of cell ({@code x}, {@code y}), 0..255. */
    public int at(int x, int y) {
        return grey[y * width + x] & 0xff;
    }
}
