package io.posestream.models.info;

import io.posestream.models.hrnet.HrnetArch;
import io.posestream.models.hrnet.HrnetExporter;
import io.posestream.models.hrnet.HrnetGraph;
import io.posestream.models.hrnet.HrnetSpec;
import io.posestream.models.hrnet.InputSize;
import io.posestream.models.hrnet.StateDictTensor;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SessionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * What {@code posestream model info} prints about a model: trainable parameters, multiply-accumulates per crop,
 * the serving signature, the metadata, and optionally every weight's name and shape.
 *
 * @param parameters trainable parameters (for a frozen graph: its float constants)
 * @param macs       multiply-accumulates per input item, or -1 when the graph's shapes are not static
 * @param signature  the serving signature
 * @param metadata   the metadata asset (for an architecture: the one an export would write)
 * @param tensors    {@code name [shape]} of every weight
 * @param note       how the counts were obtained
 */
public record ModelInfo(
        long parameters, long macs, List<String> signature, ModelMetadata metadata, List<String> tensors, String note) {

    /** Describes an HRNet built in memory (no weights needed). */
    public static ModelInfo ofHrnet(HrnetArch arch, InputSize input) {
        HrnetSpec spec = HrnetSpec.of(arch, input);
        List<String> signature;
        try (HrnetGraph graph = HrnetGraph.build(spec, SessionSettings.DEFAULTS)) {
            signature = describe(graph.signature());
        }
        List<String> tensors =
                spec.weights().stream().map(StateDictTensor::toString).toList();
        ModelMetadata metadata = HrnetExporter.metadata(
                spec, "architecture only: `model export-hrnet` writes random weights unless given --checkpoint", false);
        return new ModelInfo(
                spec.parameters(),
                spec.macs(),
                signature,
                metadata,
                tensors,
                "built in memory from the architecture; tensors in PyTorch state_dict layout");
    }

    /** Describes the SavedModel in {@code dir} (loaded and checked against its contract). */
    public static ModelInfo ofSavedModel(Path dir) {
        try (LoadedModel model = LoadedModel.load(dir, SessionSettings.DEFAULTS)) {
            List<GraphStats.Tensor> weights = GraphStats.weights(model.graph());
            boolean variables = !weights.isEmpty() && weights.get(0).variable();
            long parameters = weights.stream()
                    .filter(t -> !isRunningStatistic(t.name()))
                    .mapToLong(GraphStats.Tensor::elements)
                    .sum();
            List<String> tensors = new ArrayList<>();
            for (GraphStats.Tensor t : weights) {
                tensors.add(t.name() + " "
                        + (variables ? torchShape(t.shape()) : t.shape().toString()));
            }
            String note = variables
                    ? "read from the SavedModel; variables without batch-norm running statistics; tensors in PyTorch layout"
                    : "read from a frozen SavedModel: parameters are its float constants; tensors in TF layout";
            return new ModelInfo(
                    parameters,
                    GraphStats.macs(model.graph()),
                    describe(model.signature()),
                    model.metadata(),
                    tensors,
                    note);
        }
    }

    /** The lines to print: params, macs, signature, metadata, and with {@code withTensors} every tensor. */
    public List<String> lines(boolean withTensors) {
        List<String> out = new ArrayList<>();
        out.add("params: " + parameters);
        out.add("macs: " + (macs < 0 ? "unknown (shapes not static)" : String.valueOf(macs)));
        out.addAll(signature);
        out.add("metadata: " + metadata.toJson().replaceAll("\\s*\\n\\s*", " "));
        out.add("note: " + note);
        if (withTensors) {
            out.add("tensors: " + tensors.size());
            tensors.forEach(t -> out.add("  " + t));
        }
        return out;
    }

    private static List<String> describe(Signature signature) {
        List<String> out = new ArrayList<>();
        out.add("signature: " + signature.key());
        for (Map.Entry<String, Signature.TensorDescription> e :
                signature.getInputs().entrySet()) {
            out.add("  input " + e.getKey() + ": " + dtype(e.getValue()) + " " + e.getValue().shape);
        }
        for (Map.Entry<String, Signature.TensorDescription> e :
                signature.getOutputs().entrySet()) {
            out.add("  output " + e.getKey() + ": " + dtype(e.getValue()) + " " + e.getValue().shape);
        }
        return out;
    }

    /** TF's DT_FLOAT as float32, DT_INT32 as int32, ... */
    private static String dtype(Signature.TensorDescription t) {
        return t.dataType == DataType.DT_FLOAT
                ? "float32"
                : t.dataType.name().substring(3).toLowerCase();
    }

    private static boolean isRunningStatistic(String name) {
        return name.endsWith(".running_mean") || name.endsWith(".running_var");
    }

    /** posestream stores convolution kernels as TF [kh, kw, in, out]; print PyTorch's [out, in, kh, kw]. */
    private static String torchShape(Shape s) {
        long[] d = s.asArray();
        if (d.length == 4) {
            d = new long[] {d[3], d[2], d[0], d[1]};
        }
        return java.util.Arrays.toString(d);
    }
}
