/**
 * The one HTTP endpoint every service serves: Prometheus /metrics, /health/live and /health/ready from the checks
 * the service registers. Layer 0 (foundation), module observability.
 */
package io.posestream.observability;
