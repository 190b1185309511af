/**
 * The RTSP source connector's settings: their one declaration ({@link io.posestream.connect.config.RtspSourceConfig},
 * camera fields in {@link io.posestream.connect.config.CameraField}) and how cameras are spread over tasks. Pure
 * configuration logic of the connect layer (upstream of nothing, downstream of ingest's camera config): no I/O.
 */
package io.posestream.connect.config;
