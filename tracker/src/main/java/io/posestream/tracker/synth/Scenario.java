package io.posestream.tracker.synth;

import java.util.Arrays;
import java.util.Locale;

/** The synthetic scenes, each stressing one difficulty of tracking (see docs/tracker.md). */
public enum Scenario {
    /** Four people walking across the picture in separate lanes. */
    WALKING("walking"),
    /** Two pairs of people crossing paths, each pair at nearly the same depth. */
    CROSSING("crossing"),
    /** A person walking behind a nearer one, hidden for about a second, plus two passers-by. */
    OCCLUSION("occlusion"),
    /** One person leaves and comes back within a second; another comes back after five (a new id is right). */
    REENTRY("reentry"),
    /** Four walkers whose detections are missed 30% of the time. */
    MISSED_DETECTIONS("missed-detections"),
    /** Four walkers with strong keypoint jitter (3.5% of body height). */
    JITTER("jitter"),
    /** Four walkers plus about one spurious detection per frame. */
    FALSE_POSITIVES("false-positives"),
    /** Fifteen people walking in both directions at several depths. */
    CROWD("crowd");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
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
