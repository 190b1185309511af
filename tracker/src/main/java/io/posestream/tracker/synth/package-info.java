/**
 * Synthetic scenes with ground truth and noisy detections, and the comparison of the tracker with the greedy
 * baseline on them. Layer 1 (stages), module tracker; pure Java, no Kafka.
 */
package io.posestream.tracker.synth;
