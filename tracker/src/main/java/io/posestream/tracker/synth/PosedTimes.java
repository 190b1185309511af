package io.posestream.tracker.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When frames of a camera get posed when the inference worker cannot keep up: it poses the newest frame of each
 * camera when it is free, so intervals vary around the mean posed rate, and now and then one is half a second
 * longer (a batch of other cameras' frames, a slow crop). Posed frames are frames of a 10 fps camera.
 */
public final class PosedTimes {
    /** Frame interval of the camera, seconds. */
    private static final double FRAME_S = 0.1;

    private PosedTimes() {}

    /**
     * Posed capture times in seconds, from 0 until {@code seconds}: each interval is {@code 1/rate} times a factor
     * in {@code [1-spread, 1+spread]}, lengthened by 0.3 to 0.7 s with probability {@code longGapShare}.
     */
    public static List<Double> irregular(
            Random random, double rate, double spread, double longGapShare, double seconds) {
        List<Double> times = new ArrayList<>();
        for (double t = 0; t < seconds; ) {
            times.add(t);
            double gap = (1 - spread + 2 * spread * random.nextDouble()) / rate;
            if (random.nextDouble() < longGapShare) {
                gap += 0.3 + 0.4 * random.nextDouble();
            }
            t += Math.max(FRAME_S, Math.round(gap / FRAME_S) * FRAME_S);
        }
        return times;
    }
}
