package io.posestream.models.torch;

import io.posestream.models.savedmodel.ModelException;

/** A PyTorch checkpoint that cannot be read or does not fit the model; the message names the file and the problem. */
public class CheckpointException extends ModelException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
