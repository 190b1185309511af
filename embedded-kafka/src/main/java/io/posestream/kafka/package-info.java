/**
 * A real single-node KRaft Kafka broker running inside the JVM, bound to 127.0.0.1: the one embedded-broker helper
 * of the tests and of the embedded default. Knows nothing of posestream's topics. Layer 0 (foundation), module
 * embedded-kafka.
 */
package io.posestream.kafka;
