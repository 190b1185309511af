/**
 * Video sources on JavaCV/FFmpeg: RTSP and files, with timeouts so a frozen camera is noticed, and FFmpeg's log
 * routed to ours. Layer 1 (stages), module ingest.
 */
package io.posestream.ingest.source;
