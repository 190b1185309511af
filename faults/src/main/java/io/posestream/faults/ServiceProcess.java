package io.posestream.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code posestream} command running as a child process: its console (stdout and stderr together, each line
 * time-stamped on arrival and copied to a log file), its health endpoint, and the ways it can end: SIGTERM (a clean
 * stop) or SIGKILL (a crash). Can be started again with the same command line.
 */
public final class ServiceProcess implements AutoCloseable {
    /** One console line and when it arrived. */
    public record Line(Instant at, String text) {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final int metricsPort;
    private final List<Line> lines = new ArrayList<>();
    private Process process;
    private Instant startedAt;

    /**
     * @param name        for messages and the log file, e.g. {@code tracker-a}
     * @param command     the full command line
     * @param environment added to the child's environment
     * @param log         where the console is copied (appended across restarts)
     * @param metricsPort its {@code /metrics} and {@code /health/*} port, or -1
     */
    public ServiceProcess(
            String name, List<String> command, Map<String, String> environment, Path log, int metricsPort) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.metricsPort = metricsPort;
    }

    public String name() {
        return name;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** Starts the process (again); returns at once. */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", command), e);
        }
        startedAt = Instant.now();
        Process started = process;
        Thread reader = new Thread(() -> copyConsole(started), name + "-console");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void copyConsole(Process running) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write("---- " + Instant.now() + " started: " + String.join(" ", command) + "\n");
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(new Line(Instant.now(), line));
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // The process ended under us; what it printed is kept.
        }
    }

    /** When the process was last started. */
    public synchronized Instant startedAt() {
        return startedAt;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** Every console line so far, across restarts. */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Console lines that arrived in {@code [from, to)}. */
    public List<Line> lines(Instant from, Instant to) {
        return lines().stream()
                .filter(l -> !l.at().isBefore(from) && l.at().isBefore(to))
                .toList();
    }

    /** The first console line since {@code from} matching {@code match}, waiting up to {@code timeout}; or null. */
    public Line awaitLine(Instant from, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Line line : lines()) {
                if (!line.at().isBefore(from) && match.test(line.text())) {
                    return line;
                }
            }
            Thread.sleep(200);
        }
        return null;
    }

    /**
     * The first group of {@code pattern} (or the whole match) in the console since the last start, waiting up to
     * {@code timeout}; fails with the end of the console when the process exits first or the time runs out.
     */
    public String awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
        Instant since = startedAt();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !alive();
            if (exited) {
                Thread.sleep(500); // let the console reader take the last lines it printed
            }
            for (Line line : lines()) {
                Matcher matcher = pattern.matcher(line.text());
                if (!line.at().isBefore(since) && matcher.find()) {
                    return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
                }
            }
            if (exited) {
                throw new IllegalStateException(name + " exited without printing " + pattern + ":\n" + tail(6000));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name + " printed no " + pattern + " within " + timeout + ":\n" + tail(6000));
            }
            Thread.sleep(200);
        }
    }

    /** Everything the process printed so far, across restarts, one line each. */
    public String console() {
        StringBuilder text = new StringBuilder();
        lines().forEach(line -> text.append(line.text()).append('\n'));
        return text.toString();
    }

    /** The last {@code chars} characters of {@link #console()}, for failure messages. */
    public String tail(int chars) {
        String text = console();
        return text.substring(Math.max(0, text.length() - chars));
    }

    /** CPU time (user + system) the current run of the process has used so far. */
    public synchronized Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: the process dies at once, as in a crash; returns once it is gone. */
    public void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL without waiting, for a shutdown hook. */
    void destroyNow() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}; returns its exit status (or -1). */
    public int stop(Duration grace) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return -1;
        }
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** Waits for the process to end by itself; returns its exit status, or null when still running after timeout. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : null;
    }

    /** GET {@code path} of its endpoint: status and body, or null while nothing answers. */
    public HttpResponse<String> get(String path) {
        return get(metricsPort, path);
    }

    /** GET {@code http://127.0.0.1:port/path}: status and body, or null while nothing answers. */
    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** True when {@code /health/ready} answers 200. */
    public boolean ready() {
        HttpResponse<String> response = get("/health/ready");
        return response != null && response.statusCode() == 200;
    }

    /** The sum of every sample of a Prometheus metric on {@code /metrics}, or NaN while nothing answers. */
    public double metric(String name) {
        HttpResponse<String> response = get("/metrics");
        return response == null || response.statusCode() != 200
                ? Double.NaN
                : PrometheusText.sum(response.body(), name);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name;
    }
}
