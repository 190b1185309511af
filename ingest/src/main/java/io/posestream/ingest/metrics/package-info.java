/**
 * Per-camera meters of the ingest: frames decoded, sampled, published and dropped (with the reason). Layer 1
 * (stages), module ingest.
 */
package io.posestream.ingest.metrics;
