package io.posestream.tracker.core;

/**
 * The track state machine, apart from association:
 * <pre>
 *   birth ──► TENTATIVE ──(minHits matches)──► CONFIRMED ◄──(match)── LOST ◄─┐
 *                 │ more than tentativeMaxMisses  │ miss    ▲           │ unmatched for more than maxLostMs
 *                 ▼ misses in a row, or too long  └──► LOST │ colours   ▼ (capture time); with colours known:
 *              REMOVED                                      └──────── DORMANT ──(reidWindowMs more)──► REMOVED
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
        track.misses = 0;
        track.lastSeenMs = timeMs;
        track.pose = pose;
        track.phase = switch (track.phase) {
            case TENTATIVE -> track.hits >= config.minHits() ? TrackPhase.CONFIRMED : TrackPhase.TENTATIVE;
            case CONFIRMED, LOST, DORMANT -> TrackPhase.CONFIRMED;
            case REMOVED -> throw new IllegalStateException("track " + track.id + " was removed");
        };
    }

    /**
     * The track was not matched in a posed frame at {@code timeMs}. A tentative track is removed when it has now
     * missed more than {@code tentativeMaxMisses} posed frames in a row, or gone unmatched for more than
     * {@code tentativeMaxLostMs}: one miss at two posed frames a second is a detector's blink, while at 25 a second a
     * run of misses is a false positive that will not come back. It must have missed a posed frame, so a long gap
     * between posed frames alone never costs a new track its chance; on a camera posed slower than that window, the
     * window stretches to the misses allowed at its mean posed interval {@code posedIntervalMs}.
     */
    public void miss(Track track, long timeMs, double posedIntervalMs) {
        track.misses++;
        if (track.phase == TrackPhase.CONFIRMED) {
            track.phase = TrackPhase.LOST;
        } else if (track.phase == TrackPhase.TENTATIVE
                && (track.misses > config.tentativeMaxMisses()
                        || timeMs - track.lastSeenMs > tentativeWindow(posedIntervalMs))) {
            track.phase = TrackPhase.REMOVED;
        }
        expire(track, timeMs, posedIntervalMs);
    }

    /**
     * Time moved on to {@code timeMs} (posed or not): a track unmatched for longer than the lost window is removed,
     * whatever its state (a confirmed one that had no posed frame to miss in, when frames stopped coming), unless it
     * was confirmed and its person's colours are known: then it waits DORMANT, out of the events, for another
     * {@code reidWindowMs}, to be found again by its colours (a person who left the picture or stood hidden for a
     * while and came back).
     * {@code posedIntervalMs} is the camera's mean interval between posed frames (0 while unknown).
     */
    public void expire(Track track, long timeMs, double posedIntervalMs) {
        long unmatched = timeMs - track.lastSeenMs;
        double window = lostWindow(posedIntervalMs);
        if (track.phase == TrackPhase.REMOVED || unmatched <= window) {
            return;
        }
        boolean recognisable =
                track.phase != TrackPhase.TENTATIVE && track.appearance != null && config.appearanceWeight() > 0;
        track.phase =
                recognisable && unmatched <= window + config.reidWindowMs() ? TrackPhase.DORMANT : TrackPhase.REMOVED;
    }

    /**
     * How long a lost track waits: {@code maxLostMs}, or {@code minLostFrames} (and a half, for the intervals'
     * spread) of the camera's mean posed interval when that is longer.
     */
    public double lostWindow(double posedIntervalMs) {
        return Math.max(config.maxLostMs(), spanOf(config.minLostFrames(), posedIntervalMs));
    }

    /**
     * How long a track's predicted position keeps moving after it was last seen: {@code maxPredictionMs}, or
     * {@code minLostFrames} (and a half) of the camera's mean posed interval when that is longer, up to twice
     * {@code maxPredictionMs}. A track must keep walking through the misses its lost window allows: at one posed
     * frame a second a person missed twice was last seen 3 s ago. Further out a walker's velocity says too little
     * (on vtest.avi posed every 3 s, extrapolating 8 s confirmed fewer tracks).
     */
    public double predictionHorizon(double posedIntervalMs) {
        double stretched = Math.min(spanOf(config.minLostFrames(), posedIntervalMs), 2.0 * config.maxPredictionMs());
        return Math.max(config.maxPredictionMs(), stretched);
    }

    private double tentativeWindow(double posedIntervalMs) {
        return Math.max(config.tentativeMaxLostMs(), spanOf(config.tentativeMaxMisses(), posedIntervalMs));
    }

    /** The time {@code frames} posed frames take at the mean interval, and half an interval more for their spread. */
    private static double spanOf(int frames, double posedIntervalMs) {
        return (frames + 0.5) * posedIntervalMs;
    }
}
