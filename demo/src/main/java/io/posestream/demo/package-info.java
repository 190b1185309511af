/**
 * The embedded default in one process: embedded Kafka and schema registry, the sample RTSP camera, ingest, an
 * inference worker, the tracker and the dashboard, started and stopped together. Layer 2 (assembly), module demo.
 */
package io.posestream.demo;
