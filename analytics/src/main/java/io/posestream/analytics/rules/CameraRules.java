package io.posestream.analytics.rules;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The rules of one camera, in the order of the rules file. */
public final class CameraRules {
    private final String camera;
    private final List<Rule> rules;
    /** The rules of each kind, asked for on every frame: sorted out once. */
    private final Map<Class<?>, List<?>> byKind = new ConcurrentHashMap<>();

    public CameraRules(String camera, List<Rule> rules) {
        this.camera = camera;
        this.rules = List.copyOf(rules);
    }

    public String camera() {
        return camera;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules of one kind. */
    @SuppressWarnings("unchecked")
    public <R extends Rule> List<R> of(Class<R> kind) {
        return (List<R>) byKind.computeIfAbsent(
                kind, k -> rules.stream().filter(k::isInstance).map(k::cast).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CameraRules that && camera.equals(that.camera) && rules.equals(that.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(camera, rules);
    }

    @Override
    public String toString() {
        return "CameraRules[camera=" + camera + ", rules=" + rules + "]";
    }
}
