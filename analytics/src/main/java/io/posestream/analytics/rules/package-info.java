/**
 * The analytics rules: zones, lines, fall and raised-hands rules per camera, read from a YAML or JSON file and
 * checked at start (a bad rule is refused with its name and field), and the plane geometry they need. Layer 1
 * (stages), module analytics; pure Java, no Kafka.
 */
package io.posestream.analytics.rules;
