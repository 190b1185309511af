package io.posestream.tracker.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.tracker.eval.PoseTrackData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Colour descriptors ({@link AppearanceDescriptor}) for synthetic people, as the inference worker measures them on
 * the sample camera. Each person wears one of the clothing descriptors measured on vtest.avi (the mean descriptor of
 * each person the default tracker followed for at least ten frames, {@code bench footage --save-clothing}), so
 * two people dressed alike are as common as there. Each detection sees it with the noise measured there: each bin
 * scaled by a log-normal factor of up to {@value #MAX_BIN_NOISE} (standard deviation, uniform per region), and in
 * {@value #BLEED_SHARE} of regions up to {@value #MAX_BLEED} of another descriptor mixed in (background, a bag, a
 * neighbour). With it, two detections of one person 0.5 s apart compare as on the footage (Bhattacharyya
 * coefficient p5/p10/p25/p50 about 0.89/0.92/0.96/0.98 against 0.89/0.93/0.96/0.98 measured). A person covered by
 * a nearer one is seen mixed with the nearer one's clothing by the covered share of their box.
 */
final class ClothingColours {
    static final double MAX_BIN_NOISE = 0.8;
    static final double BLEED_SHARE = 0.3;
    static final double MAX_BLEED = 0.6;
    private static final String RESOURCE = "clothing-vtest.json";
    private static final List<float[]> PALETTE = load();

    private ClothingColours() {}

    /** The clothing of a new person. */
    static float[] wear(Random random) {
        return PALETTE.get(random.nextInt(PALETTE.size()));
    }

    /** How many clothing descriptors were measured. */
    static int measured() {
        return PALETTE.size();
    }

    /**
     * One detection's descriptor of a person wearing {@code clothing}, partly covered ({@code covered} of the box,
     * 0 to 1) by a nearer person wearing {@code nearer} (null when none); a region not {@code seen} is all 0.
     */
    static float[] observe(
            float[] clothing, float[] nearer, double covered, boolean torsoSeen, boolean legsSeen, Random random) {
        float[] d = new float[AppearanceDescriptor.LENGTH];
        boolean[] seen = {torsoSeen, legsSeen};
        for (int r = 0; r < AppearanceDescriptor.REGIONS; r++) {
            if (!seen[r] || !AppearanceDescriptor.present(clothing, r)) {
                continue;
            }
            int from = r * AppearanceDescriptor.BINS;
            double noise = random.nextDouble() * MAX_BIN_NOISE;
            double[] v = new double[AppearanceDescriptor.BINS];
            for (int i = 0; i < v.length; i++) {
                v[i] = clothing[from + i] * Math.exp(noise * random.nextGaussian());
            }
            if (random.nextDouble() < BLEED_SHARE) {
                mix(v, wear(random), from, random.nextDouble() * MAX_BLEED);
            }
            if (nearer != null && covered > 0 && AppearanceDescriptor.present(nearer, r)) {
                mix(v, nearer, from, Math.min(1, covered));
            }
            double sum = 0;
            for (double x : v) {
                sum += x;
            }
            for (int i = 0; i < v.length; i++) {
                d[from + i] = (float) (v[i] / sum);
            }
        }
        return d;
    }

    private static void mix(double[] v, float[] other, int from, double share) {
        double own = 0;
        for (double x : v) {
            own += x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (1 - share) * v[i] + share * own * other[from + i];
        }
    }

    private static List<float[]> load() {
        try (InputStream in = ClothingColours.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the tracker's jar");
            }
            List<float[]> palette = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                palette.add(PoseTrackData.descriptor(entry, RESOURCE + " entry " + palette.size()));
            }
            return List.copyOf(palette);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
