package io.posestream.analytics.engine;

/** The count of one zone after a frame that changed it. */
public record ZoneOccupancy(String zone, int count, boolean overcrowded) {}
