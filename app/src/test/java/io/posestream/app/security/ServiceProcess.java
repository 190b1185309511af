package io.posestream.app.security;

import io.posestream.app.PosestreamCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code posestream} command in a child JVM, as an operator runs it: the real main class, the real log
 * configuration (log4j2.xml, not the tests'), stdout and stderr together in a log file the test reads. Closing it is
 * Ctrl-C (SIGTERM), then a kill if it does not stop.
 */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code posestream args...}, logging to {@code log}. */
    static ServiceProcess start(Path log, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                // The operator's logging, not log4j2-test.xml from the test classpath.
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp",
                System.getProperty("java.class.path"),
                PosestreamCli.class.getName()));
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new ServiceProcess(String.join(" ", args.subList(0, 1)), process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start posestream " + args, e);
        }
    }

    /** Everything the process printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first match of {@code pattern} in the output, waiting for it; fails with the output when it never comes. */
    Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return matcher;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("posestream " + name + " printed nothing matching " + pattern + " within "
                        + timeout + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + ":\n"
                        + log());
            }
            if (!process.isAlive()) {
                // One last look: the line may have been written just before it exited.
                Matcher last = pattern.matcher(log());
                if (last.find()) {
                    return last;
                }
                throw new AssertionError("posestream " + name + " exited " + process.exitValue() + " without " + pattern
                        + ":\n" + log());
            }
            Thread.sleep(200);
        }
    }

    /** The exit code once it stopped by itself within {@code timeout}, or null while it still runs. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
