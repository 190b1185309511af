package io.posestream.ingest;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delay with jitter, capped: initial, 2x, 4x ... up to the cap, each delay drawn from
 * [80%, 100%] of its step so that many cameras that lost one server do not all reconnect at the same instant.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempts;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one attempt. */
    public Duration next() {
        double step = Math.min(maxMillis, initialMillis * Math.pow(2, Math.min(attempts, 30)));
        attempts++;
        return Duration.ofMillis(Math.max(1, Math.round(step * (0.8 + 0.2 * random.nextDouble()))));
    }

    /** Attempts since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    /** Back to the initial delay, after a connection that delivered frames. */
    public void reset() {
        attempts = 0;
    }
}
