package io.posestream.tracker.core;

/**
 * The track state machine, apart from association:
 * <pre>
 *   birth ──► TENTATIVE ──(minHits matches)──► CONFIRMED ◄──(match)── LOST
 *                 │ a miss after more than        │ miss                │ unmatched for more than maxLostMs
 *                 ▼ tentativeMaxLostMs unmatched  └──────► LOST         ▼ (capture time)
 *              REMOVED                                               REMOVED
 * </pre>
 * Time is the frames' capture time, so skipped or missing frames still age tracks, and confirmation needs
 * {@code minHits} matches, not consecutive posed frames: at two posed frames a second a detector that misses a
 * person once in a while must not cost the person their track.
 */
public final class TrackLifecycle {
    private final TrackerConfig config;

    public TrackLifecycle(TrackerConfig config) {
        this.config = config;
    }

    /** A new track born from a detection at {@code timeMs}. */
    public Track birth(long id, Pose pose, long timeMs) {
        TrackPhase phase = config.minHits() <= 1 ? TrackPhase.CONFIRMED : TrackPhase.TENTATIVE;
        return new Track(id, phase, 1, 1, timeMs, pose);
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

    /**
     * The track was not matched in a posed frame at {@code timeMs}. A tentative track is removed when it has gone
     * unmatched for more than {@code tentativeMaxLostMs} by now: it must have missed a posed frame, so a long gap
     * between posed frames alone never costs a new track its chance.
     */
    public void miss(Track track, long timeMs) {
        if (track.phase == TrackPhase.CONFIRMED) {
            track.phase = TrackPhase.LOST;
        } else if (track.phase == TrackPhase.TENTATIVE && timeMs - track.lastSeenMs > config.tentativeMaxLostMs()) {
            track.phase = TrackPhase.REMOVED;
        }
        expire(track, timeMs);
    }

    /**
     * Time moved on to {@code timeMs} (posed or not): a track unmatched for more than {@code maxLostMs} is removed,
     * whatever its state (a confirmed one that had no posed frame to miss in, when frames stopped coming).
     */
    public void expire(Track track, long timeMs) {
        if (track.phase != TrackPhase.REMOVED && timeMs - track.lastSeenMs > config.maxLostMs()) {
            track.phase = TrackPhase.REMOVED;
        }
    }
}
