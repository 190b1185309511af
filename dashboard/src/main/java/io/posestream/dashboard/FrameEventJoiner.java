package io.posestream.dashboard;

import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Pairs each camera's frames with their pose events by {@code (cameraId, seq)}, checking that both carry the same
 * capture time. Each side waits in a small bounded buffer per camera for its partner: a frame for at most the
 * join timeout, likewise an event. What finds no partner is handed to the listener as unmatched, with the reason.
 *
 * <p>Within one camera both topics are in seq order (a camera is one partition key, and every stage keeps order),
 * so an event for seq {@code n} means no event will come for frames before {@code n}, and a frame {@code n} means
 * no frame will come for events before {@code n}: those are released at once instead of waiting out the timeout.
 * A frame whose seq is not above the camera's previous one means ingest restarted its sequence: the camera's
 * buffers are flushed and the listener is told, so that the new run shows.
 *
 * <p>Not thread-safe: the dashboard's one reader thread drives it.
 */
final class FrameEventJoiner {
    /** What the joiner decided; called on the thread that fed it. */
    interface Listener {
        void joined(Frame frame, PoseEvent event);

        void frameWithoutEvent(Frame frame, String reason);

        void eventWithoutFrame(PoseEvent event, String reason);

        /** The camera restarted its sequence; called after its buffers were flushed, before the new frame. */
        default void sequenceRestarted(String cameraId) {}
    }

    private final long timeoutMs;
    private final int maxPending;
    private final Listener listener;
    private final Map<String, CameraBuffer> cameras = new HashMap<>();

    FrameEventJoiner(Duration timeout, int maxPendingPerCamera, Listener listener) {
        this.timeoutMs = timeout.toMillis();
        this.maxPending = maxPendingPerCamera;
        this.listener = listener;
    }

    void onFrame(Frame frame, long nowMs) {
        CameraBuffer camera = cameras.computeIfAbsent(frame.getCameraId(), id -> new CameraBuffer());
        long seq = frame.getSeq();
        if (camera.lastFrameSeq != Long.MIN_VALUE && seq <= camera.lastFrameSeq) {
            String reason = "camera restarted its sequence at " + seq + " after " + camera.lastFrameSeq;
            release(camera.frames, flushed -> listener.frameWithoutEvent(flushed, reason));
            release(camera.events, event -> listener.eventWithoutFrame(event, reason));
            camera.firstFrameSeq = Long.MIN_VALUE;
            listener.sequenceRestarted(frame.getCameraId());
        }
        if (camera.firstFrameSeq == Long.MIN_VALUE) {
            camera.firstFrameSeq = seq;
            // Events of frames published before the dashboard started reading: history, not an error.
            camera.events.headMap(seq, false).clear();
        }
        camera.lastFrameSeq = seq;
        // Frames come in seq order: events still waiting for an earlier frame will never get one.
        release(
                camera.events.headMap(seq, false),
                event -> listener.eventWithoutFrame(event, "frame never seen (a later frame arrived first)"));
        Pending<PoseEvent> waiting = camera.events.remove(seq);
        if (waiting != null) {
            if (sameCapture(frame, waiting.record)) {
                listener.joined(frame, waiting.record);
                return;
            }
            listener.eventWithoutFrame(waiting.record, captureMismatch(frame, waiting.record));
        }
        camera.frames.put(seq, new Pending<>(frame, nowMs));
        while (camera.frames.size() > maxPending) {
            listener.frameWithoutEvent(
                    camera.frames.pollFirstEntry().getValue().record,
                    "join buffer full (" + maxPending + " frames waiting)");
        }
    }

    void onEvent(PoseEvent event, long nowMs) {
        CameraBuffer camera = cameras.computeIfAbsent(event.getCameraId(), id -> new CameraBuffer());
        long seq = event.getSeq();
        // Events come in seq order: frames still waiting before this one will never get theirs.
        release(
                camera.frames.headMap(seq, false),
                frame -> listener.frameWithoutEvent(frame, "no event (the event of a later frame arrived first)"));
        Pending<Frame> waiting = camera.frames.get(seq);
        if (waiting != null && sameCapture(waiting.record, event)) {
            camera.frames.remove(seq);
            listener.joined(waiting.record, event);
        } else if (waiting != null) {
            listener.eventWithoutFrame(event, captureMismatch(waiting.record, event));
        } else if (camera.firstFrameSeq != Long.MIN_VALUE && seq < camera.firstFrameSeq) {
            // Its frame was published before the dashboard started reading: history, not an error.
            return;
        } else if (camera.lastFrameSeq != Long.MIN_VALUE && seq <= camera.lastFrameSeq) {
            listener.eventWithoutFrame(event, "frame " + seq + " never seen or no longer waiting");
        } else {
            camera.events.put(seq, new Pending<>(event, nowMs));
            while (camera.events.size() > maxPending) {
                listener.eventWithoutFrame(
                        camera.events.pollFirstEntry().getValue().record,
                        "join buffer full (" + maxPending + " events waiting)");
            }
        }
    }

    /** Releases what has waited longer than the timeout. */
    void expire(long nowMs) {
        for (CameraBuffer camera : cameras.values()) {
            expire(
                    camera.frames,
                    nowMs,
                    frame -> listener.frameWithoutEvent(frame, "no event within " + timeoutMs + " ms"));
            expire(
                    camera.events,
                    nowMs,
                    event -> listener.eventWithoutFrame(event, "no frame within " + timeoutMs + " ms"));
        }
    }

    /** Frames plus events waiting for a partner, over all cameras. */
    int pending() {
        return cameras.values().stream()
                .mapToInt(c -> c.frames.size() + c.events.size())
                .sum();
    }

    private <T> void expire(NavigableMap<Long, Pending<T>> buffer, long nowMs, Consumer<T> release) {
        Iterator<Pending<T>> it = buffer.values().iterator();
        while (it.hasNext()) {
            Pending<T> pending = it.next();
            if (nowMs - pending.sinceMs >= timeoutMs) {
                it.remove();
                release.accept(pending.record);
            }
        }
    }

    /** Hands what waits in {@code buffer} (a whole buffer or a view of one) to {@code release}, oldest first. */
    private static <T> void release(Map<Long, Pending<T>> buffer, Consumer<T> release) {
        buffer.values().forEach(pending -> release.accept(pending.record));
        buffer.clear();
    }

    private static boolean sameCapture(Frame frame, PoseEvent event) {
        return frame.getCaptureTime().equals(event.getCaptureTime());
    }

    private static String captureMismatch(Frame frame, PoseEvent event) {
        return "frame " + frame.getSeq() + " has a different capture time (" + frame.getCaptureTime() + " vs "
                + event.getCaptureTime() + ")";
    }

    private record Pending<T>(T record, long sinceMs) {}

    private static final class CameraBuffer {
        final NavigableMap<Long, Pending<Frame>> frames = new TreeMap<>();
        final NavigableMap<Long, Pending<PoseEvent>> events = new TreeMap<>();
        long firstFrameSeq = Long.MIN_VALUE;
        long lastFrameSeq = Long.MIN_VALUE;
    }
}
