/**
 * The schema registry: a client of Confluent's REST API, and posestream's own registry server speaking that API,
 * stored in a compacted Kafka topic laid out like Confluent's. Layer 0 (foundation), module schemas.
 */
package io.posestream.schemas.registry;
