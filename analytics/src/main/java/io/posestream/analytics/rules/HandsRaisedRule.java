package io.posestream.analytics.rules;

/** Raised hands: both wrists of a CONFIRMED track above its head (its highest visible face keypoint). */
public record HandsRaisedRule(String name) implements Rule {}
