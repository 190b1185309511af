/**
 * Analytics as a Kafka Streams application: the topology (pose events in; activity events and zone counts out),
 * the processor that keeps each camera's analytics state in a store, the mapping to and from the Avro contract,
 * and the settings. Layer 1 (stages), module analytics; glue to Kafka Streams above engine and rules.
 */
package io.posestream.analytics.streams;
