/**
 * Multi-person tracking of one camera: similarity (OKS and IoU), motion, assignment, the track lifecycle state
 * machine and the state codec. Layer 1 (stages), module tracker; pure Java, no Kafka.
 */
package io.posestream.tracker.core;
