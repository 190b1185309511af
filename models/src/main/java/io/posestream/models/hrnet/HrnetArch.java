package io.posestream.models.hrnet;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The HRNet pose networks of the official code (deep-high-resolution-net.pytorch, {@code experiments/coco/hrnet}):
 * the same topology at two widths, the channel count of the highest-resolution branch (branches have C, 2C, 4C,
 * 8C channels).
 */
public enum HrnetArch {
    W32("hrnet-w32", 32),
    W48("hrnet-w48", 48);

    private final String id;
    private final int width;

    HrnetArch(String id, int width) {
        this.id = id;
        this.width = width;
    }

    /** The name used on the command line and in model names, e.g. {@code hrnet-w32}. */
    public String id() {
        return id;
    }

    /** Channels of the highest-resolution branch. */
    public int width() {
        return width;
    }

    /** The arch named {@code id} ({@code hrnet-w32} or {@code hrnet-w48}). */
    public static HrnetArch parse(String id) {
        return Arrays.stream(values())
                .filter(a -> a.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown HRNet arch '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(HrnetArch::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
