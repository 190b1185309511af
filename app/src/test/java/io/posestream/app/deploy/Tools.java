package io.posestream.app.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real tools the deploy checks run, as a platform engineer would: kubectl (its built-in kustomize),
 * docker-compose, and node for the schema validators. A missing tool fails naming the setup step that installs it.
 */
final class Tools {
    private Tools() {}

    /** What a finished command printed, and its exit code. */
    record Result(int exitCode, String out, String err) {}

    /** The tool's path on PATH, or an AssertionError naming how to install it. */
    static Path require(String name, String installedBy) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not on the PATH: " + installedBy);
    }

    /** Runs {@code command} in {@code dir} with {@code stdin} (may be null), waiting at most two minutes. */
    static Result run(List<String> command, Path dir, String stdin) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .directory(dir == null ? null : dir.toFile())
                    .start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process, true));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = readAll(process, false);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            return new Result(
                    process.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(Process process, boolean stderr) {
        try {
            return (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            return ("(unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
