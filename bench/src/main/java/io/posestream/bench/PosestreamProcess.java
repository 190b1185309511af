package io.posestream.bench;

import io.posestream.faults.PosestreamLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code posestream} command ({@code connect}, {@code ingest}, ...) in a child JVM on this JVM's class path, its
 * output in a log file: what benchmarks and tests run as a separate service process, so that one can be killed as
 * abruptly as a crashed machine (SIGKILL) and its CPU time read like any process's.
 */
public final class PosestreamProcess implements AutoCloseable {
    /** What {@code posestream connect} prints once its REST API listens. */
    public static final Pattern CONNECT_REST_URL = Pattern.compile("connect\\.rest\\.url=(\\S+)");

    private final String name;
    private final Process process;
    private final Path log;

    private PosestreamProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code posestream ARGS} (the command first) with the given extra environment.
     *
     * @param heap the child's {@code -Xmx}, e.g. {@code 512m}
     */
    public static PosestreamProcess start(
            String name, List<String> args, Map<String, String> env, Path log, String heap) {
        // One way to start a posestream command in a child JVM: the fault suite's, with the production logging.
        List<String> command = PosestreamLauncher.ofClassPath(System.getProperty("java.class.path"))
                .command(List.of("-Xmx" + heap), args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return new PosestreamProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first group of {@code pattern} once the process has logged a match; fails with the log when the process
     * exits or takes too long.
     */
    public String awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(6000));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " logged no " + pattern + " within " + timeout + ":\n" + tail(6000));
    }

    /** {@code posestream connect}'s REST URL once it listens. */
    public URI awaitRest(Duration timeout) throws InterruptedException {
        return URI.create(awaitOutput(CONNECT_REST_URL, timeout));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** CPU time the process has used so far (user + system). */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye to the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Everything the process logged so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The end of the log, for failure messages. */
    public String tail(int chars) {
        String text = log();
        return text.substring(Math.max(0, text.length() - chars));
    }

    /** SIGTERM (a worker leaves its group cleanly, ingest flushes), SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
