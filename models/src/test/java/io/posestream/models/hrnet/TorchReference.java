package io.posestream.models.hrnet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch reference HRNet ({@code src/test/python/hrnet_reference.py}) run with Debian's python3-torch, once per
 * test JVM and output directory, into {@code target/}.
 */
public final class TorchReference {
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("src/test/python/hrnet_reference.py");
    private static final Map<String, Path> RUNS = new HashMap<>();

    private TorchReference() {}

    /** Checkpoints, input and heatmaps of a random W32 256x192 (generated on first use). */
    public static synchronized Path golden() {
        return run("golden-hrnet-w32-256x192", List.of("--arch", "hrnet-w32", "--input", "256x192"));
    }

    /** PyTorch's own parameter and MAC counts for {@code arch} at {@code input} (an official size). */
    public static synchronized long[] counts(HrnetArch arch, InputSize input) {
        Path dir = run("counts", List.of("--count-only"));
        try {
            for (String line : Files.readAllLines(dir.resolve("counts.txt"))) {
                String[] f = line.trim().split(" ");
                if (f[0].equals(arch.id()) && f[1].equals(input.toString())) {
                    return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("the reference counted no " + arch + " at " + input);
    }

    private static Path run(String name, List<String> args) {
        return RUNS.computeIfAbsent(name, n -> {
            Path out = Path.of("target", "torch-reference", n).toAbsolutePath();
            try {
                if (Files.exists(out)) {
                    org.apache.commons.io.file.PathUtils.deleteDirectory(out);
                }
                Files.createDirectories(out);
                List<String> command = new java.util.ArrayList<>(List.of(PYTHON, SCRIPT.toString(), out.toString()));
                command.addAll(args);
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.resolve("python.log").toFile())
                        .start();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("PyTorch reference failed (" + String.join(" ", command) + "): "
                            + Files.readString(out.resolve("python.log")) + "\nInstall it with: bash scripts/setup.sh");
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Cannot run " + PYTHON + " " + SCRIPT + ": " + e.getMessage()
                                + " (bash scripts/setup.sh installs python3-torch)",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    static long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw little-endian float32 file. */
    public static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
