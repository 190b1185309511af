package io.posestream.analytics.rules;

/** One analytics rule of a camera, named as in the rules file; its name is on every event it raises. */
public sealed interface Rule permits ZoneRule, LineRule, FallRule, HandsRaisedRule {
    String name();
}
