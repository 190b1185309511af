package io.posestream.models.pretrained;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an original TFJS graph model with pure-JS {@code @tensorflow/tfjs} (the pinned npm project in
 * {@code src/test/node}) on one input and returns one output, flattened.
 */
final class TfjsReference {
    private static final Path SCRIPT =
            Path.of("src", "test", "node", "run-graph-model.js").toAbsolutePath();

    private TfjsReference() {}

    /**
     * @param asInt32 feed the input as int32 (MoveNet's original input type; values must be integers)
     */
    static float[] run(Path modelJson, float[] input, boolean asInt32, long[] shape, String outputNode, Path work)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(SCRIPT.getParent().resolve("node_modules/@tensorflow/tfjs"))) {
            throw new IllegalStateException(
                    "@tensorflow/tfjs is not installed in " + SCRIPT.getParent() + ": run bash scripts/setup.sh");
        }
        Files.createDirectories(work);
        Path in = work.resolve("input.raw");
        Path out = work.resolve("output.raw");
        ByteBuffer buffer = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : input) {
            if (asInt32) {
                buffer.putInt((int) v);
            } else {
                buffer.putFloat(v);
            }
        }
        Files.write(in, buffer.array());
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(dims.length() == 0 ? "" : ",").append(d);
        }
        Path log = work.resolve("node.log");
        Process process = new ProcessBuilder(List.of(
                        "node",
                        SCRIPT.toString(),
                        modelJson.toString(),
                        in.toString(),
                        asInt32 ? "int32" : "float32",
                        dims.toString(),
                        outputNode,
                        out.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("node run-graph-model.js did not finish in 3 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "node run-graph-model.js failed: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        ByteBuffer result = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[result.remaining() / 4];
        result.asFloatBuffer().get(values);
        return values;
    }
}
