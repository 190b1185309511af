package io.posestream.ingest.config;

/** A camera setting or camera list that cannot be used; the message names the camera, the key and the value. */
public class CameraConfigException extends RuntimeException {
    public CameraConfigException(String message) {
        super(message);
    }

    public CameraConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
