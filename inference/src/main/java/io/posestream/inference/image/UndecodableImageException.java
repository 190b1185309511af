package io.posestream.inference.image;

/** A frame's image bytes could not be decoded; the message says how. */
public final class UndecodableImageException extends RuntimeException {
    public UndecodableImageException(String message) {
        super(message);
    }
}
