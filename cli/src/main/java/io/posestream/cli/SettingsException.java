package io.posestream.cli;

/** A missing or invalid setting, named in the message; the service does not start. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
