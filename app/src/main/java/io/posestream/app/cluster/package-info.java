/**
 * Commands for the cluster: an embedded broker, the schema registry, and creating posestream's topics. Layer 3
 * (entry points), module app.
 */
package io.posestream.app.cluster;
