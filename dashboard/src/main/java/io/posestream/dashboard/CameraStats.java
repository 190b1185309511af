package io.posestream.dashboard;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/** One camera's running figures over a sliding window of arrival times; driven by the reader thread only. */
final class CameraStats {
    private final String cameraId;
    private final long windowMs;
    private final Deque<Long> frameArrivals = new ArrayDeque<>();
    private final Deque<Long> posedArrivals = new ArrayDeque<>();
    /** Pairs of (arrival time, latency), both in ms. */
    private final Deque<long[]> latencies = new ArrayDeque<>();

    private final TrackFigures tracks;

    private int persons;
    private long lastActivityMs;
    private long shownSeq = -1;
    /** Capture time of the posed frame last shown on the tile; MIN_VALUE while none. */
    private long shownPosedCaptureMs = Long.MIN_VALUE;

    private long framesWithoutEvent;
    private long eventsWithoutFrame;
    private TopicPartition framesPartition;
    private TopicPartition eventsPartition;

    CameraStats(String cameraId, long windowMs, long tracksWindowMs) {
        this.cameraId = cameraId;
        this.windowMs = windowMs;
        this.tracks = new TrackFigures(tracksWindowMs);
    }

    void frameArrived(TopicPartition partition, long nowMs) {
        framesPartition = partition;
        lastActivityMs = nowMs;
        frameArrivals.addLast(nowMs);
    }

    void eventArrived(PoseEvent event, TopicPartition partition, long nowMs) {
        eventsPartition = partition;
        lastActivityMs = nowMs;
        if (event.getFrameStatus() == FrameStatus.POSED) {
            posedArrivals.addLast(nowMs);
            // A skipped frame's event carries no persons: the people are still there, only not looked at.
            persons = visiblePersons(event);
        }
        tracks.observe(event);
        latencies.addLast(new long[] {nowMs, nowMs - event.getCaptureTime().toEpochMilli()});
    }

    /**
     * Whether a frame with this seq becomes the tile's frame: it must be newer than the one on the tile, and a frame
     * that was not posed must be captured at least {@code holdMs} after the posed frame last shown (else the
     * skeletons would be on screen only for the moment between a posed frame and the skipped one after it).
     */
    boolean takeForTile(long seq, long captureMs, boolean posed, long holdMs) {
        if (seq <= shownSeq) {
            return false;
        }
        if (!posed && shownPosedCaptureMs != Long.MIN_VALUE && captureMs - shownPosedCaptureMs < holdMs) {
            return false;
        }
        shownSeq = seq;
        if (posed) {
            shownPosedCaptureMs = captureMs;
        }
        return true;
    }

    /** Ingest restarted the camera's sequence: the new run's frames must show, whatever seq the tile had. */
    void sequenceRestarted() {
        shownSeq = -1;
        shownPosedCaptureMs = Long.MIN_VALUE;
    }

    void countFrameWithoutEvent() {
        framesWithoutEvent++;
    }

    void countEventWithoutFrame() {
        eventsWithoutFrame++;
    }

    /** The partitions this camera's frames and events were last read from (those seen so far). */
    List<TopicPartition> partitions() {
        return Stream.of(framesPartition, eventsPartition)
                .filter(Objects::nonNull)
                .toList();
    }

    CameraFigures figures(long nowMs, long staleAfterMs, long lag) {
        long since = nowMs - windowMs;
        dropBefore(frameArrivals, since);
        dropBefore(posedArrivals, since);
        while (!latencies.isEmpty() && latencies.peekFirst()[0] < since) {
            latencies.removeFirst();
        }
        long[] sorted = latencies.stream().mapToLong(l -> l[1]).sorted().toArray();
        long silent = nowMs - lastActivityMs;
        TrackFigures.Snapshot tracked = tracks.snapshot();
        return new CameraFigures(
                cameraId,
                rate(frameArrivals, nowMs),
                rate(posedArrivals, nowMs),
                persons,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                lag,
                silent > staleAfterMs,
                silent,
                shownSeq,
                framesWithoutEvent,
                eventsWithoutFrame,
                round(tracked.confirmedShare(), 1000),
                round(tracked.medianConfirmedLifeS(), 10),
                round(tracked.birthsPerMinute(), 10));
    }

    /** Rounded so that figures pushed to browsers change only when they change visibly. */
    private static double round(double value, double per) {
        return value < 0 ? value : Math.round(value * per) / per;
    }

    static int visiblePersons(PoseEvent event) {
        int visible = 0;
        for (TrackedPerson person : event.getPersons()) {
            if (person.getState() != TrackState.LOST && person.getState() != TrackState.REMOVED) {
                visible++;
            }
        }
        return visible;
    }

    private static void dropBefore(Deque<Long> arrivals, long since) {
        while (!arrivals.isEmpty() && arrivals.peekFirst() < since) {
            arrivals.removeFirst();
        }
    }

    /** Arrivals per second: intervals between the window's arrivals, over the time from the first one until now. */
    private static double rate(Deque<Long> arrivals, long nowMs) {
        if (arrivals.size() < 2) {
            return 0;
        }
        long span = Math.max(1, nowMs - arrivals.peekFirst());
        return Math.round((arrivals.size() - 1) * 1000.0 / span * 10) / 10.0;
    }

    /** Nearest-rank percentile, -1 when there is nothing to rank. */
    static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
