/**
 * TLS key and trust material read from files (PEM certificates, PKCS12 or JKS key stores) for posestream's own HTTP
 * servers and clients: the schema registry server and client, the dashboard. Infrastructure shared by the service
 * modules; Kafka clients read their own {@code ssl.*} settings.
 */
package io.posestream.schemas.tls;
