/**
 * The pipeline as separate processes on loopback, started the way users start them (child JVMs of the real
 * {@code posestream} commands, the GStreamer sample camera), each service talking to the broker through its own TCP
 * proxy so that one service can be cut off or slowed down; faults injected into it (kills, restarts, network cuts,
 * latency), recovery measured per service and every frame audited afterwards; and the soak's samples of each
 * process. Layer 2 (assembly), module faults: it knows the commands by their command lines only.
 */
package io.posestream.faults;
