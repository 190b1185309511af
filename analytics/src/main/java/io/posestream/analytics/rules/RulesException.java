package io.posestream.analytics.rules;

/** A rules file that cannot be used; the message names the file, the rule and the field. */
public final class RulesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RulesException(String message) {
        super(message);
    }

    public RulesException(String message, Throwable cause) {
        super(message, cause);
    }
}
