/**
 * The tracker as a Kafka Streams application: topology, the processor that keeps each camera's tracks in a state
 * store, settings and dead letters. Layer 1 (stages), module tracker; glue to Kafka Streams above core.
 */
package io.posestream.tracker.streams;
