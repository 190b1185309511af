/**
 * Cameras to Frames: each camera decoded on its own thread, sampled to a target fps by timestamp, JPEG-encoded and
 * published keyed by camera id; reconnects with backoff. Layer 1 (stages), module ingest.
 */
package io.posestream.ingest;
