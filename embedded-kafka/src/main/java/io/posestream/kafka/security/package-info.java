/**
 * Security for the embedded broker: a certificate authority made on the spot (BouncyCastle), the TLS files and SCRAM
 * users of a secured broker, and the client settings that reach it. Infrastructure layer, beside
 * {@link io.posestream.kafka.EmbeddedKafka}; it knows nothing of posestream's topics or services (the ACLs that give
 * each service its rights are the app's).
 */
package io.posestream.kafka.security;
