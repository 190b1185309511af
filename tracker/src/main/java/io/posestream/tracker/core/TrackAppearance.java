package io.posestream.tracker.core;

import io.posestream.schemas.AppearanceDescriptor;

/**
 * What the clothing's colours add to association. A track keeps a running mean of its matched detections'
 * colour descriptors, region by region (the torso's colours stay known while the legs are hidden); a detection is
 * compared with it by the mean Bhattacharyya coefficient of the regions both have. In the similarity of the first two
 * passes colours only lower a pair the motion gate allows: two people in the same dark coat are common. Colours
 * decide alone only in {@link PoseTracker}'s third pass, and only where they are nearly identical.
 */
final class TrackAppearance {
    /** Weight of the track's mean against a new detection: about the last three posed frames count. */
    private static final float MEMORY = 0.7f;
    /** Colour similarity (Bhattacharyya) at and below which two descriptors count as unlike. */
    private static final double UNLIKE = 0.5;
    /** Colour similarity from which two descriptors may be one person. */
    private static final double SAME_PERSON = 0.9;

    private TrackAppearance() {}

    /** Folds a matched detection's descriptor (may be null) into the track's. */
    static void update(Track track, Pose detection) {
        float[] d = detection.appearance();
        if (d == null) {
            return;
        }
        if (track.appearance == null) {
            track.appearance = d;
            return;
        }
        float[] mean = track.appearance;
        for (int r = 0; r < AppearanceDescriptor.REGIONS; r++) {
            if (!AppearanceDescriptor.present(d, r)) {
                continue;
            }
            boolean known = AppearanceDescriptor.present(mean, r);
            for (int i = r * AppearanceDescriptor.BINS; i < (r + 1) * AppearanceDescriptor.BINS; i++) {
                mean[i] = known ? MEMORY * mean[i] + (1 - MEMORY) * d[i] : d[i];
            }
        }
    }

    /**
     * The track's similarity {@code base} to a detection, lowered by how much their colours differ: times
     * {@code 1 - weight * (1 - c)}, c being the colours' similarity rescaled so that {@value #UNLIKE} and below count
     * as unlike (0) and identical as 1. Unchanged when either has no descriptor or they share no region. Colours only
     * lower a pair: raising one would let two people in the same dark coat pass gates their motion fails.
     */
    static double blend(Track track, Pose detection, double base, double weight) {
        if (weight == 0 || base <= 0) {
            return base;
        }
        double colours = AppearanceDescriptor.similarity(track.appearance, detection.appearance());
        if (Double.isNaN(colours)) {
            return base;
        }
        double alike = Math.max(0, (colours - UNLIKE) / (1 - UNLIKE));
        return base * (1 - weight * (1 - alike));
    }

    /**
     * Whether two tracks' colours say they are different people (similarity below {@value #SAME_PERSON}, which
     * nineteen in twenty pairs of one person's detections half a second apart reach on the sample camera); false when
     * colours are off or unknown.
     */
    static boolean unlike(Track a, Track b, double weight) {
        double colours = AppearanceDescriptor.similarity(a.appearance, b.appearance);
        return weight > 0 && colours < SAME_PERSON;
    }
}
