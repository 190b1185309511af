package io.posestream.observability;

import java.util.function.BooleanSupplier;

/**
 * One named condition of a service's health, such as "producer connected", "model loaded" or "streams RUNNING".
 * Evaluated on every probe and scrape, so it must be cheap and must not block: read a state the service already
 * keeps, never call the network from here.
 */
@FunctionalInterface
public interface HealthCheck {

    /** The condition now. A check that throws counts as failing, with the exception as its detail. */
    Result check();

    /** A check that passes while {@code condition} holds and otherwise fails saying {@code whenFailing}. */
    static HealthCheck of(BooleanSupplier condition, String whenFailing) {
        return () -> condition.getAsBoolean() ? Result.up() : Result.down(whenFailing);
    }

    /**
     * The outcome of a check: passing or not, and a short human-readable detail (why it fails, or what it saw).
     *
     * @param passing true when the condition holds
     * @param detail  why it fails (or null when passing and nothing worth saying)
     */
    record Result(boolean passing, String detail) {
        private static final Result UP = new Result(true, null);

        public static Result up() {
            return UP;
        }

        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail == null || detail.isBlank() ? "failing" : detail);
        }
    }
}
