package io.posestream.cli;

import picocli.CommandLine;

/**
 * Kafka or the schema registry did not answer within {@code --startup-timeout}: the service gives up with exit
 * status {@link #EXIT_STATUS}, so a script or CI job fails fast instead of waiting for ever.
 */
public final class StartupTimeoutException extends RuntimeException implements CommandLine.IExitCodeGenerator {
    /** The exit status of a service that gave up waiting: 69, {@code EX_UNAVAILABLE} of sysexits.h. */
    public static final int EXIT_STATUS = 69;

    public StartupTimeoutException(String message) {
        super(message);
    }

    @Override
    public int getExitCode() {
        return EXIT_STATUS;
    }
}
