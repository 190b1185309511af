package io.posestream.models.savedmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * The signature contracts of docs/architecture.md, checked when a model is loaded or exported, so a wrong model is refused
 * with expected-versus-found instead of failing on the first frame.
 *
 * <ul>
 *   <li>Pose: {@code serving_default}, input {@code image} float32 {@code [N,H,W,3]} RGB 0..255, output either
 *       {@code heatmaps} float32 {@code [N,H/stride,W/stride,K]} or {@code keypoints} float32 {@code [N,K,3]} (x, y in
 *       input pixels, score), as the metadata's {@link PoseOutput} says.</li>
 *   <li>Detector: {@code serving_default}, input {@code image} float32 {@code [N,H,W,3]} RGB 0..255, outputs
 *       {@code boxes} float32 {@code [N,D,4]} (x1,y1,x2,y2 in input pixels) and {@code scores} float32
 *       {@code [N,D]} (person score; other classes already zeroed).</li>
 * </ul>
 * The batch dimension may be fixed (see {@link ModelMetadata#maxBatch()}) or unknown.
 */
public final class ModelContract {
    public static final String SIGNATURE_KEY = Signature.DEFAULT_KEY;
    public static final String INPUT = "image";
    public static final String HEATMAPS = "heatmaps";
    public static final String KEYPOINTS = "keypoints";
    public static final String BOXES = "boxes";
    public static final String SCORES = "scores";

    private ModelContract() {}

    /**
     * Checks {@code signature} against the contract of {@code metadata.kind()}; throws naming every mismatch.
     *
     * @param where the model directory, for the message
     */
    public static void verify(Signature signature, ModelMetadata metadata, String where) {
        List<String> problems = new ArrayList<>();
        if (!SIGNATURE_KEY.equals(signature.key())) {
            problems.add("signature key: expected " + SIGNATURE_KEY + ", found " + signature.key());
        }
        int h = metadata.inputHeight();
        int w = metadata.inputWidth();
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        Map<String, Signature.TensorDescription> outputs = signature.getOutputs();
        expectOnly("inputs", inputs, List.of(INPUT), problems);
        expect(inputs, INPUT, new long[] {-1, h, w, 3}, problems);
        if (metadata.kind() == ModelKind.POSE && metadata.poseOutput() == PoseOutput.KEYPOINTS) {
            expectOnly("outputs", outputs, List.of(KEYPOINTS), problems);
            expect(outputs, KEYPOINTS, new long[] {-1, metadata.keypoints().size(), 3}, problems);
        } else if (metadata.kind() == ModelKind.POSE) {
            int stride = metadata.heatmapStride();
            if (stride <= 0 || h % stride != 0 || w % stride != 0) {
                problems.add("metadata heatmapStride " + stride + " does not divide the input " + h + "x" + w);
            } else {
                expectOnly("outputs", outputs, List.of(HEATMAPS), problems);
                expect(
                        outputs,
                        HEATMAPS,
                        new long[] {
                            -1, h / stride, w / stride, metadata.keypoints().size()
                        },
                        problems);
            }
        } else {
            expectOnly("outputs", outputs, List.of(BOXES, SCORES), problems);
            expect(outputs, BOXES, new long[] {-1, -1, 4}, problems);
            expect(outputs, SCORES, new long[] {-1, -1}, problems);
        }
        if (!problems.isEmpty()) {
            throw new ModelException("Model " + where + " does not meet the "
                    + metadata.kind().name().toLowerCase() + " model contract: " + String.join("; ", problems));
        }
    }

    private static void expectOnly(
            String what, Map<String, Signature.TensorDescription> found, List<String> names, List<String> problems) {
        if (!found.keySet().equals(new java.util.HashSet<>(names))) {
            problems.add(what + ": expected " + names + ", found " + found.keySet());
        }
    }

    /** Expects float32 of the given rank; -1 in {@code dims} accepts any size there, including unknown. */
    private static void expect(
            Map<String, Signature.TensorDescription> tensors, String name, long[] dims, List<String> problems) {
        Signature.TensorDescription tensor = tensors.get(name);
        if (tensor == null) {
            return; // already reported by expectOnly
        }
        if (tensor.dataType != DataType.DT_FLOAT) {
            problems.add(name + ": expected float32, found " + tensor.dataType);
        }
        Shape shape = tensor.shape;
        boolean ok = !shape.isUnknown() && shape.numDimensions() == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 || shape.get(i) == dims[i];
        }
        if (!ok) {
            problems.add(name + ": expected shape " + describe(dims) + ", found " + shape);
        }
    }

    private static String describe(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "?" : String.valueOf(dims[i]));
        }
        return sb.append(']').toString();
    }
}
