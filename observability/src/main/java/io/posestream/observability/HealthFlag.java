package io.posestream.observability;

/**
 * A check the service sets itself when a state changes, e.g. down "model not loaded yet" at start and up once
 * the model is loaded. Thread-safe.
 */
public final class HealthFlag implements HealthCheck {
    private volatile Result current;

    /** A flag that starts failing with {@code initialReason}. */
    public HealthFlag(String initialReason) {
        this.current = Result.down(initialReason);
    }

    public void up() {
        current = Result.up();
    }

    public void up(String detail) {
        current = Result.up(detail);
    }

    public void down(String reason) {
        current = Result.down(reason);
    }

    @Override
    public Result check() {
        return current;
    }
}
