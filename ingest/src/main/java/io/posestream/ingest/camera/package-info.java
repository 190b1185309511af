/**
 * The sample RTSP camera: the sample video served over real RTSP by GStreamer, for the demo and the tests. Layer 1
 * (stages), module ingest.
 */
package io.posestream.ingest.camera;
