package io.posestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code browser-check.js} (Debian's chromium driven by playwright-core, in {@code dashboard/src/test/node})
 * against a running dashboard and hands back its JSON report of each phase, so a test can act between phases
 * (stop feeding after "live", restart the server after "stale"). Reusable for the demo's end-to-end test: point it
 * at the demo's dashboard URL with the phases wanted.
 */
public final class BrowserCheck implements AutoCloseable {
    /** The node project, relative to the dashboard module (Maven runs a module's tests in its directory). */
    public static final Path NODE_PROJECT = Path.of("src/test/node");

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXITED = "\u0000exited";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /**
     * What to check; see browser-check.js for the phases.
     *
     * @param loginUser     user of the "login" phase, or null
     * @param loginPassword its password (handed to the script in its environment, not on its command line), or null
     */
    public record Options(
            URI url,
            String camera,
            int minSkeletons,
            Path screenshot,
            List<String> phases,
            Duration timeout,
            String loginUser,
            String loginPassword) {
        /** Options for a dashboard without a login. */
        public Options(
                URI url, String camera, int minSkeletons, Path screenshot, List<String> phases, Duration timeout) {
            this(url, camera, minSkeletons, screenshot, phases, timeout, null, null);
        }
    }

    private BrowserCheck(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = out.readLine(); line != null; line = out.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // process gone
                    }
                    lines.add(EXITED);
                },
                "browser-check-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the check; fails at once, saying how to install them, when chromium or playwright-core is missing. */
    public static BrowserCheck start(Path nodeProject, Options options) throws IOException {
        requireInstalled(nodeProject);
        List<String> command = new ArrayList<>(List.of(
                "node",
                "browser-check.js",
                "--url",
                options.url().toString(),
                "--phases",
                String.join(",", options.phases()),
                "--min-skeletons",
                Integer.toString(options.minSkeletons()),
                "--timeout-ms",
                Long.toString(options.timeout().toMillis()),
                "--chromium",
                CHROMIUM.toString()));
        if (options.camera() != null) {
            command.addAll(List.of("--camera", options.camera()));
        }
        if (options.screenshot() != null) {
            Files.createDirectories(options.screenshot().toAbsolutePath().getParent());
            command.addAll(List.of(
                    "--screenshot", options.screenshot().toAbsolutePath().toString()));
        }
        if (options.loginUser() != null) {
            command.addAll(List.of("--login-user", options.loginUser()));
        }
        Path stderr = Files.createTempFile("browser-check", ".stderr");
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(nodeProject.toFile()).redirectError(stderr.toFile());
        if (options.loginPassword() != null) {
            builder.environment().put("BROWSER_CHECK_PASSWORD", options.loginPassword());
        }
        Process process = builder.start();
        return new BrowserCheck(process, stderr);
    }

    /** The node project seen from the dashboard module or from a sibling module (such as app). */
    public static Path nodeProject() {
        return Files.isRegularFile(NODE_PROJECT.resolve("browser-check.js"))
                ? NODE_PROJECT
                : Path.of("..", "dashboard").resolve(NODE_PROJECT);
    }

    private static void requireInstalled(Path nodeProject) {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(
                    CHROMIUM + " is missing: run bash scripts/setup.sh (Debian package chromium)");
        }
        if (!Files.isDirectory(nodeProject.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("playwright-core is missing in " + nodeProject.toAbsolutePath()
                    + ": run bash scripts/setup.sh (npm ci there)");
        }
    }

    /** The report of {@code phase}; fails with the script's error output if it failed or reported another phase. */
    public JsonNode awaitPhase(String phase, Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError(
                    "browser check reported no '" + phase + "' within " + timeout + "; stderr:\n" + stderr());
        }
        if (line.equals(EXITED)) {
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("browser check failed before '" + phase + "' (exit "
                    + (process.isAlive() ? "?" : process.exitValue()) + "):\n" + stderr());
        }
        JsonNode report;
        try {
            report = JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("browser check printed something other than JSON: " + line, e);
        }
        if (!phase.equals(report.path("phase").asText())) {
            throw new AssertionError(
                    "browser check reported " + report.path("phase") + " where '" + phase + "' was expected: " + line);
        }
        return report;
    }

    /** Waits for the final report and a clean exit. */
    public void awaitSuccess(Duration timeout) throws InterruptedException {
        awaitPhase("done", timeout);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            throw new AssertionError("browser check did not exit cleanly; stderr:\n" + stderr());
        }
    }

    private String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderr);
    }
}
