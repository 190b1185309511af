/**
 * PoseTrack-style files, offline replay of the tracker over them, and CLEAR-MOT / IDF1 evaluation. Layer 1
 * (stages), module tracker; pure Java, no Kafka.
 */
package io.posestream.tracker.eval;
