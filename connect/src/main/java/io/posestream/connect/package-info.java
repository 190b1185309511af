/**
 * posestream's ingest as a Kafka Connect source connector: {@link io.posestream.connect.RtspSourceConnector} spreads
 * cameras over tasks, {@link io.posestream.connect.RtspSourceTask} runs them with ingest's camera code and hands
 * Connect one record per frame, byte for byte what the {@code ingest} process writes. Sits beside {@code ingest} in
 * the data flow (cameras in, {@code posestream.frames} out); depends on {@code ingest} and {@code schemas} only.
 */
package io.posestream.connect;
