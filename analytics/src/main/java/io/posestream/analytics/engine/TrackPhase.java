package io.posestream.analytics.engine;

/** Lifecycle phase of a track as the tracker reports it. */
public enum TrackPhase {
    TENTATIVE,
    CONFIRMED,
    LOST,
    REMOVED
}
