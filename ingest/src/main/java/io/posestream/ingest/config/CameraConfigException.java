package io.posestream.ingest.config;

/** A camera setting or camera list that cannot be used; the message names the camera, the key and the value. */
public class CameraConfigException extends RuntimeException {
    private final String key;

    public CameraConfigException(String message) {
        this(message, (String) null);
    }

    /** @param key the camera field at fault, as the camera file names it ({@code fps}, {@code maxWidth}, ...) */
    public CameraConfigException(String message, String key) {
        super(message);
        this.key = key;
    }

    public CameraConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
    }

    /**
     * The camera field at fault as the camera file names it ({@code fps}, {@code maxWidth}, ...), so another front
     * end (the Kafka Connect connector's config keys) can report the error on its own name for it; null when the
     * error is not about one field.
     */
    public String key() {
        return key;
    }
}
