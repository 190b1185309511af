package io.posestream.dashboard;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How well one camera's people are tracked, from its pose events alone (no ground truth), over a sliding window
 * of capture time:
 *
 * <ul>
 *   <li><b>confirmed share</b>: of the tracked person-observations (persons matched in a posed frame, TENTATIVE or
 *       CONFIRMED), the share in CONFIRMED tracks;
 *   <li><b>median confirmed life</b>: over the tracks that reached CONFIRMED and ended (REMOVED) in the window, the
 *       median capture time from the track's first event to its last match;
 *   <li><b>births per minute</b>: track ids first seen in the window, per minute of window.
 * </ul>
 *
 * A person who stays in view for 20 s and is tracked well gives one birth, 20 s of life and nearly all its
 * observations confirmed; a tracker that loses people gives many short lives and births. Fed by one thread.
 */
public final class TrackFigures {
    /** The figures as of one moment; -1 where nothing was seen yet. */
    public record Snapshot(double confirmedShare, double medianConfirmedLifeS, double birthsPerMinute) {}

    private static final class Life {
        final long firstMs;
        long lastMatchedMs;
        boolean confirmed;

        Life(long firstMs) {
            this.firstMs = firstMs;
            this.lastMatchedMs = firstMs;
        }
    }

    private final long windowMs;
    private final Map<Long, Life> live = new HashMap<>();
    /** Per posed event: {capture ms, tentative observations, confirmed observations}. */
    private final Deque<long[]> observations = new ArrayDeque<>();
    /** {end capture ms, life ms} of ended confirmed tracks. */
    private final Deque<long[]> lives = new ArrayDeque<>();

    private final Deque<Long> births = new ArrayDeque<>();
    private long firstMs = Long.MIN_VALUE;
    private long latestMs = Long.MIN_VALUE;

    public TrackFigures(long windowMs) {
        this.windowMs = windowMs;
    }

    /** Takes one pose event of the camera (in the camera's order). */
    public void observe(PoseEvent event) {
        long at = event.getCaptureTime().toEpochMilli();
        if (firstMs == Long.MIN_VALUE) {
            firstMs = at;
        }
        latestMs = Math.max(latestMs, at);
        long tentative = 0;
        long confirmed = 0;
        for (TrackedPerson person : event.getPersons()) {
            TrackState state = person.getState();
            Life life = live.get(person.getTrackId());
            if (life == null && state != TrackState.REMOVED) {
                life = new Life(at);
                live.put(person.getTrackId(), life);
                births.addLast(at);
            }
            boolean matched = state == TrackState.TENTATIVE || state == TrackState.CONFIRMED;
            if (matched && event.getFrameStatus() == FrameStatus.POSED) {
                life.lastMatchedMs = at;
                if (state == TrackState.CONFIRMED) {
                    life.confirmed = true;
                    confirmed++;
                } else {
                    tentative++;
                }
            }
            if (state == TrackState.REMOVED && life != null) {
                live.remove(person.getTrackId());
                if (life.confirmed) {
                    lives.addLast(new long[] {at, life.lastMatchedMs - life.firstMs});
                }
            }
        }
        if (event.getFrameStatus() == FrameStatus.POSED) {
            observations.addLast(new long[] {at, tentative, confirmed});
        }
        forgetBefore(latestMs - windowMs);
    }

    /** The figures over the window ending at the latest capture time seen. */
    public Snapshot snapshot() {
        if (latestMs == Long.MIN_VALUE) {
            return new Snapshot(-1, -1, -1);
        }
        long since = latestMs - windowMs;
        forgetBefore(since);
        long tentative = 0;
        long confirmed = 0;
        for (long[] o : observations) {
            tentative += o[1];
            confirmed += o[2];
        }
        double share = tentative + confirmed == 0 ? -1 : (double) confirmed / (tentative + confirmed);
        List<Long> ended = new ArrayList<>();
        lives.forEach(l -> ended.add(l[1]));
        ended.sort(null);
        double median = ended.isEmpty() ? -1 : ended.get((ended.size() - 1) / 2) / 1000.0;
        double spanMinutes = Math.min(windowMs, latestMs - firstMs) / 60_000.0;
        double birthsPerMinute = spanMinutes <= 0 ? -1 : births.size() / spanMinutes;
        return new Snapshot(share, median, birthsPerMinute);
    }

    private void forgetBefore(long since) {
        while (!observations.isEmpty() && observations.peekFirst()[0] < since) {
            observations.removeFirst();
        }
        while (!lives.isEmpty() && lives.peekFirst()[0] < since) {
            lives.removeFirst();
        }
        while (!births.isEmpty() && births.peekFirst() < since) {
            births.removeFirst();
        }
        // A track whose REMOVED event never came (the dashboard joined late, a record was skipped) is forgotten
        // once unseen for a whole window, so the map cannot grow without bound.
        for (Iterator<Life> it = live.values().iterator(); it.hasNext(); ) {
            if (it.next().lastMatchedMs < since - windowMs) {
                it.remove();
            }
        }
    }
}
