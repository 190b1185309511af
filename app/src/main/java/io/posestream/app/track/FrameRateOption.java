package io.posestream.app.track;

import picocli.CommandLine.Option;

/**
 * {@code --fps}: the frame rate that dates the images of a PoseTrack-style file that carry no {@code timestamp_ms},
 * the same for replaying and for evaluating, so both read a file the same way.
 */
public final class FrameRateOption {
    @Option(
            names = "--fps",
            description = "Frame rate for images without timestamp_ms (default: ${DEFAULT-VALUE}).",
            defaultValue = "25")
    double fps;

    public double fps() {
        return fps;
    }
}
