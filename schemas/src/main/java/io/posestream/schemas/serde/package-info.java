/**
 * Avro serializers and deserializers in Confluent's wire format (magic byte, schema id, Avro binary), backed by the
 * registry client, for Kafka clients and Kafka Streams. Layer 0 (foundation), module schemas.
 */
package io.posestream.schemas.serde;
