package io.posestream.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages waiting for one browser, at most one per key (a camera's tile, a camera's figures, the counters).
 * A newer message replaces the waiting one of the same key, so a client that reads slowly gets the latest state
 * of every camera when it catches up, never a growing queue.
 */
final class ConflatingChannel {
    private final Map<String, byte[]> waiting = new LinkedHashMap<>();
    private boolean closed;
    private long replaced;

    /** Queues {@code message} under {@code key}, replacing a message of that key not yet taken. */
    synchronized void offer(String key, byte[] message) {
        if (closed) {
            return;
        }
        if (waiting.put(key, message) != null) {
            replaced++;
        }
        notifyAll();
    }

    /** Queues {@code message} unless one of that key is already waiting (which is newer). */
    synchronized void offerIfAbsent(String key, byte[] message) {
        if (!closed && waiting.putIfAbsent(key, message) == null) {
            notifyAll();
        }
    }

    /**
     * Takes every waiting message, oldest key first; waits up to {@code timeoutMs} when none is waiting.
     * Returns an empty list on time-out, and also once the channel is closed (see {@link #isClosed()}).
     */
    synchronized List<byte[]> take(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (waiting.isEmpty() && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        if (closed) {
            return List.of();
        }
        List<byte[]> messages = new ArrayList<>(waiting.values());
        waiting.clear();
        return messages;
    }

    synchronized void close() {
        closed = true;
        waiting.clear();
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Messages replaced by a newer one of the same key before the client took them. */
    synchronized long replaced() {
        return replaced;
    }

    /** Messages waiting now (at most one per key). */
    synchronized int waiting() {
        return waiting.size();
    }
}
