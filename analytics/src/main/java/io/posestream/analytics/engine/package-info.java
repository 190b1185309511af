/**
 * The rule engine: a camera's analytics state (zone memberships, line sides, fall and gesture state per track)
 * and how each tracked frame moves it on, raising activities and zone counts; the codec of that state. Layer 1
 * (stages), module analytics; pure Java, no Kafka, no Avro.
 */
package io.posestream.analytics.engine;
