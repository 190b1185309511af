package io.posestream.app.deploy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a JVM container leaves room for native memory below its memory limit: the heap is
 * {@code -XX:MaxRAMPercentage} of the limit (JDK_JAVA_OPTIONS), and what remains must hold the service's native
 * memory, or the kernel kills the container while the heap still looks fine. The minimums are docs/operations.md's
 * "Memory" table.
 */
final class MemoryBudget {
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;
    /** Inference on CPU: TensorFlow's graphs, tensors and oneDNN buffers, OpenCV; measured ~1.1 GiB (operations.md). */
    static final long INFERENCE_CPU_NATIVE = 2 * GIB;
    /** Inference on a GPU: also the CUDA context, cuDNN and cuBLAS host allocations and their mapped libraries. */
    static final long INFERENCE_GPU_NATIVE = 4 * GIB;
    /** Other services: metaspace, thread stacks, direct buffers, and FFmpeg (ingest) or RocksDB (tracker). */
    static final long SERVICE_NATIVE = 512 * MIB;

    private static final Pattern PERCENT = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");
    private static final Pattern QUANTITY = Pattern.compile("([0-9.]+)\\s*([a-zA-Z]*)");

    private MemoryBudget() {}

    /** Why the container's heap share leaves too little native memory, or null when it leaves enough. */
    static String problem(String where, String limit, String javaOptions, long nativeNeeded) {
        if (limit == null || limit.isBlank()) {
            return where + ": no memory limit";
        }
        Matcher percent = PERCENT.matcher(javaOptions == null ? "" : javaOptions);
        if (!percent.find()) {
            return where + ": JDK_JAVA_OPTIONS sets no -XX:MaxRAMPercentage, so the heap share is the image's default";
        }
        long bytes = bytes(limit);
        double heap = bytes * Double.parseDouble(percent.group(1)) / 100;
        long left = (long) (bytes - heap);
        if (left < nativeNeeded) {
            return String.format(
                    Locale.ROOT,
                    "%s: limit %s with a %s%% heap leaves %d MiB for native memory, below the %d MiB it needs",
                    where,
                    limit,
                    percent.group(1),
                    left / MIB,
                    nativeNeeded / MIB);
        }
        return null;
    }

    /** A Kubernetes quantity (4Gi, 512Mi, 1G) or a compose size (4g, 512m, 1gb) in bytes. */
    static long bytes(String quantity) {
        Matcher m = QUANTITY.matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        double value = Double.parseDouble(m.group(1));
        // Kubernetes: Ki/Mi/Gi binary, K/M/G decimal; compose: k/m/g (optionally kb/mb/gb), binary.
        long unit = switch (m.group(2)) {
            case "", "b" -> 1;
            case "k", "kb", "Ki" -> 1024;
            case "m", "mb", "Mi" -> MIB;
            case "g", "gb", "Gi" -> GIB;
            case "K" -> 1000;
            case "M" -> 1_000_000;
            case "G" -> 1_000_000_000;
            default -> throw new IllegalArgumentException("unknown memory unit in " + quantity);
        };
        return (long) (value * unit);
    }
}
