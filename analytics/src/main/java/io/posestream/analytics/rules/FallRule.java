package io.posestream.analytics.rules;

/**
 * A fall: a CONFIRMED track whose torso (shoulder midpoint to hip midpoint) turns from upright to near horizontal
 * while its hip midpoint drops quickly, and which then stays down.
 *
 * @param uprightMaxDegrees torso at most this far from vertical is upright
 * @param lyingMinDegrees torso at least this far from vertical is down
 * @param maxFallMs the last upright pose is at most this long before the first down pose
 * @param minHipDrop the hip midpoint drops by at least this fraction of the person's upright box height
 * @param downMs the person stays down (not upright again) this long before the fall is reported
 */
public record FallRule(
        String name, double uprightMaxDegrees, double lyingMinDegrees, long maxFallMs, double minHipDrop, long downMs)
        implements Rule {
    public static final double UPRIGHT_MAX_DEGREES = 30;
    public static final double LYING_MIN_DEGREES = 60;
    public static final long MAX_FALL_MS = 1500;
    public static final double MIN_HIP_DROP = 0.25;
    public static final long DOWN_MS = 1000;

    /** The rule with the default thresholds. */
    public static FallRule withDefaults(String name) {
        return new FallRule(name, UPRIGHT_MAX_DEGREES, LYING_MIN_DEGREES, MAX_FALL_MS, MIN_HIP_DROP, DOWN_MS);
    }
}
