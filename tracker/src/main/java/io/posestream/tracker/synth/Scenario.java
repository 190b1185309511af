package io.posestream.tracker.synth;

import java.util.Arrays;
import java.util.Locale;

/**
 * The synthetic scenes, each stressing one difficulty of tracking (see docs/tracker.md). The clean ones are large
 * people at 25 posed frames per second with confident scores; the calibrated ones reproduce what the default models
 * give on the sample camera, as measured by {@code bench footage}: small people, low and irregular posed rates,
 * low person scores, heavy-tailed keypoint noise, misses where people overlap, and clutter detected at fixed places.
 */
public enum Scenario {
    /** Four people walking across the picture in separate lanes. */
    WALKING("walking", false),
    /** Two pairs of people crossing paths, each pair at nearly the same depth. */
    CROSSING("crossing", false),
    /** A person walking behind a nearer one, hidden for about a second, plus two passers-by. */
    OCCLUSION("occlusion", false),
    /** One person leaves and comes back within a second; another comes back after five (a new id is right). */
    REENTRY("reentry", false),
    /** Four walkers whose detections are missed 30% of the time. */
    MISSED_DETECTIONS("missed-detections", false),
    /** Four walkers with strong keypoint jitter (3.5% of body height). */
    JITTER("jitter", false),
    /** Four walkers plus about one spurious detection per frame. */
    FALSE_POSITIVES("false-positives", false),
    /**
     * Three people standing about, two of whom fall (at {@link SceneGenerator#FALL_TIMES_S}) and stay down: for
     * fall detection in the analytics, not for tracking quality.
     */
    FALLS("falls", false),
    /** Fifteen people walking in both directions at several depths. */
    CROWD("crowd", false),
    /** Calibrated: 6 to 12 people entering and leaving in both directions at several depths and speeds. */
    STREET_CROWD("street-crowd", true),
    /** Calibrated: two pairs walking side by side, one partly behind the other, and two single walkers. */
    SIDE_BY_SIDE("side-by-side", true),
    /** Calibrated: a person standing still for the whole scene while others pass in front and behind. */
    BYSTANDER("bystander", true),
    /** Calibrated: two crossings where the nearer person hides the farther one for about a second. */
    OCCLUDED_CROSSING("occluded-crossing", true),
    /** Calibrated: six walkers posed at 1.5 frames per second with gaps from 0.1 to 1.3 s. */
    IRREGULAR_RATE("irregular-rate", true),
    /**
     * Calibrated, stress: the street crowd posed at 0.9 frames per second (intervals 0.4 to 1.8 s), as each of four
     * cameras on one 2-core worker is; no goal, it shows what a slow posed rate costs.
     */
    FOUR_CAMERAS("four-cameras", true);

    private final String cliName;
    private final boolean calibrated;

    Scenario(String cliName, boolean calibrated) {
        this.cliName = cliName;
        this.calibrated = calibrated;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the scene reproduces the measured conditions of real footage (else it is a clean scene). */
    public boolean calibrated() {
        return calibrated;
    }

    public static Scenario byName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.cliName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(Scenario::cliName).toList())));
    }
}
