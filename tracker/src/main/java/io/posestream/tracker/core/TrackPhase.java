package io.posestream.tracker.core;

/** Lifecycle states of a track (see {@link TrackLifecycle}). */
public enum TrackPhase {
    /** Born from an unmatched detection; not yet matched often enough to be trusted. */
    TENTATIVE,
    /** Matched at least {@code minHits} times and matched in the latest frame. */
    CONFIRMED,
    /** Confirmed earlier, unmatched since; kept for re-association within {@code maxLostMs}. */
    LOST,
    /** Gone for good: a tentative track that missed, or a lost track past its window. Never comes back. */
    REMOVED,
    /**
     * Past its lost window, but its person's colours are known: not in the events, found again only by its colours
     * (the third pass) within {@code reidWindowMs}, else REMOVED then. Last, so stored states keep their numbers.
     */
    DORMANT
}
