/**
 * The ingest service's settings (IngestConfig) and its cameras: the camera file, camera URLs with credentials kept
 * out of logs. Layer 1 (stages), module ingest.
 */
package io.posestream.ingest.config;
