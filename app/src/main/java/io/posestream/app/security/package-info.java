/**
 * posestream on a secured Kafka cluster: each service's SCRAM account and the ACLs that give it only what it needs,
 * and the client settings files {@code posestream broker --secure} writes for them. App layer: it knows every
 * service's topics, groups and transactional ids, which no service module knows of the others.
 */
package io.posestream.app.security;
