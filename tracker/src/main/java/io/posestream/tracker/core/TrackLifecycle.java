package io.posestream.tracker.core;

/**
 * The track state machine, apart from association:
 * <pre>
 *   birth ──► TENTATIVE ──(minHits matches)──► CONFIRMED ◄──(match)── LOST
 *                 │ miss                          │ miss                │ unmatched for more than maxLostMs
 *                 ▼                               └──────► LOST         ▼ (capture time)
 *              REMOVED                                               REMOVED
 * </pre>
 * Time is the frames' capture time, so skipped or missing frames still age lost tracks.
 */
public final class TrackLifecycle {
    private final TrackerConfig config;

    public TrackLifecycle(TrackerConfig config) {
        this.config = config;
    }

    /** A new track born from a detection at {@code timeMs}. */
    public Track birth(long id, Pose pose, long timeMs) {
        TrackPhase phase = config.minHits() <= 1 ? TrackPhase.CONFIRMED : TrackPhase.TENTATIVE;
        return new Track(id, phase, 1, 1, timeMs, pose, 0, 0);
    }

    /** The track was matched in the frame at {@code timeMs}. */
    public void hit(Track track, Pose pose, long timeMs) {
        track.hits++;
        track.lastSeenMs = timeMs;
        track.pose = pose;
        track.phase = switch (track.phase) {
            case TENTATIVE -> track.hits >= config.minHits() ? TrackPhase.CONFIRMED : TrackPhase.TENTATIVE;
            case CONFIRMED, LOST -> TrackPhase.CONFIRMED;
            case REMOVED -> throw new IllegalStateException("track " + track.id + " was removed");
        };
    }

    /** The track was not matched in a posed frame at {@code timeMs}. */
    public void miss(Track track, long timeMs) {
        track.phase = switch (track.phase) {
            case TENTATIVE -> TrackPhase.REMOVED;
            case CONFIRMED, LOST -> TrackPhase.LOST;
            case REMOVED -> TrackPhase.REMOVED;
        };
        expire(track, timeMs);
    }

    /** Time moved on to {@code timeMs} (posed or not): a lost track past its window is removed. */
    public void expire(Track track, long timeMs) {
        if (track.phase == TrackPhase.LOST && timeMs - track.lastSeenMs > config.maxLostMs()) {
            track.phase = TrackPhase.REMOVED;
        }
    }
}
