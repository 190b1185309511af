package io.posestream.schemas.registry;

/**
 * An error answered by a schema registry (with Confluent's {@code error_code}) or met while talking to it.
 * Messages carry the registry URL with credentials masked.
 */
public class SchemaRegistryException extends RuntimeException {
    /** Error codes of Confluent's REST API that callers branch on. */
    public static final int SUBJECT_NOT_FOUND = 40401;

    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int INTERNAL_ERROR = 50001;
    /** Not a registry answer: the registry could not be reached. */
    public static final int UNREACHABLE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = UNREACHABLE;
    }

    /**
     * True when {@code error} or one of its causes says the registry could not answer: unreachable, or an HTTP 5xx
     * (it is starting, or its store is down). Such a failure passes by itself, unlike a refused schema.
     */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException e && (e.errorCode == UNREACHABLE || e.httpStatus >= 500)) {
                return true;
            }
        }
        return false;
    }

    /** HTTP status of the answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code ({@code error_code} in the body), or {@link #UNREACHABLE}. */
    public int errorCode() {
        return errorCode;
    }
}
