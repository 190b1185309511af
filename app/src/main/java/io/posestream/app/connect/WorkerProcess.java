package io.posestream.app.connect;

import io.posestream.app.PosestreamCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code posestream connect} in a child JVM on this machine's class path, its output in a log file: what the
 * benchmark and the tests run as "a worker", so that one can be killed as abruptly as a crashed machine (SIGKILL)
 * and its CPU time read like any process's.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final Pattern REST_URL = Pattern.compile("connect\\.rest\\.url=(\\S+)");

    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code posestream connect ARGS} with the given extra environment (config provider variables).
     *
     * @param heap the child's {@code -Xmx}, e.g. {@code 512m}
     */
    public static WorkerProcess start(String name, List<String> args, Map<String, String> env, Path log, String heap) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                PosestreamCli.class.getName(),
                "connect"));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return new WorkerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start worker " + name + ": " + e.getMessage(), e);
        }
    }

    /** The worker's REST URL once it printed it; fails with the worker's log when it exits or takes too long. */
    public URI awaitRest(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = REST_URL.matcher(log());
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "worker " + name + " exited with " + process.exitValue() + ":\n" + tail(6000));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "worker " + name + " printed no REST URL within " + timeout + ":\n" + tail(6000));
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

    /** CPU time the worker's JVM has used so far (user + system). */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye to the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Everything the worker logged so far. */
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

    /** SIGTERM (the worker leaves its group cleanly), SIGKILL after 30 s. */
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
