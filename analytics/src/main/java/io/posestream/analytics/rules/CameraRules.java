package io.posestream.analytics.rules;

import java.util.List;

/** The rules of one camera, in the order of the rules file. */
public record CameraRules(String camera, List<Rule> rules) {
    public CameraRules {
        rules = List.copyOf(rules);
    }

    /** The rules of one kind. */
    public <R extends Rule> List<R> of(Class<R> kind) {
        return rules.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
