package io.posestream.models.savedmodel;

/** A model that cannot be loaded, exported or used as the contract requires; the message names the file or key. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
