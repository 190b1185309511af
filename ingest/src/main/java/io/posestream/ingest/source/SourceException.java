package io.posestream.ingest.source;

/**
 * A camera source could not be opened or read. {@link #permanent()} errors (missing file, no decoder for the codec,
 * no video stream) are not retried; the others (network, timeouts) are, with backoff. Messages are already masked.
 */
public final class SourceException extends Exception {
    private final boolean permanent;

    public SourceException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
