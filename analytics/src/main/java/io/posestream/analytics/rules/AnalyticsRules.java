package io.posestream.analytics.rules;

import java.util.List;
import java.util.Map;

/** Every camera's rules, as read from a rules file. A camera not named in it has no rules. */
public record AnalyticsRules(Map<String, CameraRules> cameras) {
    public AnalyticsRules {
        cameras = Map.copyOf(cameras);
    }

    public CameraRules forCamera(String camera) {
        CameraRules rules = cameras.get(camera);
        return rules != null ? rules : new CameraRules(camera, List.of());
    }

    /** Rules of all cameras together. */
    public int ruleCount() {
        return cameras.values().stream().mapToInt(c -> c.rules().size()).sum();
    }
}
