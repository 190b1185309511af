package io.posestream.models.tfjs;

import io.posestream.models.savedmodel.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Makes a TFJS graph runnable by TensorFlow's own kernels:
 * <ul>
 *   <li>{@code FusedDepthwiseConv2dNative} exists only in TensorFlow.js: it becomes {@code DepthwiseConv2dNative}
 *       + {@code BiasAdd} + the activation, the last node keeping the original name so its consumers are
 *       untouched (TensorFlow's grappler fuses them again at run time where it can).</li>
 *   <li>{@code _FusedConv2D} and {@code _FusedMatMul} are TensorFlow ops, but the converter drops their
 *       {@code TArgs} attribute (the types of the extra inputs), without which TensorFlow refuses them.</li>
 *   <li>Device strings are cleared so the graph runs wherever the session places it.</li>
 * </ul>
 */
public final class FusedOpRewriter {
    /** Activations TensorFlow's fused conv/matmul kernels support after BiasAdd. */
    private static final Set<String> TF_FUSABLE = Set.of("Relu", "Relu6", "Elu", "LeakyRelu");
    /** Activations a decomposed node may end with, each a plain TensorFlow op of the same name. */
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "LeakyRelu", "Sigmoid", "Tanh");

    private FusedOpRewriter() {}

    /** The rewritten graph; throws naming the node for a fused op it cannot express. */
    public static GraphDef rewrite(GraphDef graph) {
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef node : graph.getNodeList()) {
            switch (node.getOp()) {
                case "FusedDepthwiseConv2dNative" -> out.addAllNode(decomposeDepthwise(node));
                case "_FusedConv2D", "_FusedMatMul" -> out.addNode(withTArgs(node));
                default -> out.addNode(node.toBuilder().clearDevice().build());
            }
        }
        return out.build();
    }

    private static List<String> fusedOps(NodeDef node) {
        List<String> ops = new ArrayList<>();
        AttrValue attr = node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance());
        attr.getList().getSList().forEach(s -> ops.add(s.toStringUtf8()));
        return ops;
    }

    private static NodeDef withTArgs(NodeDef node) {
        List<String> ops = fusedOps(node);
        for (String op : ops) {
            if (!op.equals("BiasAdd") && !TF_FUSABLE.contains(op)) {
                throw new ModelException("node " + node.getName() + " (" + node.getOp() + ") fuses " + ops
                        + ": TensorFlow's kernel supports BiasAdd followed by one of " + TF_FUSABLE);
            }
        }
        int numArgs = (int) node.getAttrOrThrow("num_args").getI();
        DataType type = node.getAttrOrThrow("T").getType();
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        for (int i = 0; i < numArgs; i++) {
            types.addType(type);
        }
        return node.toBuilder()
                .clearDevice()
                .putAttr("TArgs", AttrValue.newBuilder().setList(types).build())
                .build();
    }

    private static List<NodeDef> decomposeDepthwise(NodeDef node) {
        List<String> ops = fusedOps(node);
        List<String> dataInputs =
                node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        List<String> controlInputs =
                node.getInputList().stream().filter(i -> i.startsWith("^")).toList();
        boolean bias = !ops.isEmpty() && ops.get(0).equals("BiasAdd");
        String activation = ops.size() == (bias ? 2 : 1) ? ops.get(ops.size() - 1) : null;
        if (ops.size() > 2
                || (!bias && !ops.isEmpty() && !ACTIVATIONS.contains(ops.get(0)))
                || (activation != null && !ACTIVATIONS.contains(activation))) {
            throw new ModelException("node " + node.getName() + " (FusedDepthwiseConv2dNative) fuses " + ops
                    + ": the importer rewrites BiasAdd optionally followed by one of " + ACTIVATIONS);
        }
        if (dataInputs.size() != 2 + (bias ? 1 : 0)) {
            throw new ModelException("node " + node.getName() + " (FusedDepthwiseConv2dNative) has inputs " + dataInputs
                    + ", expected input, filter" + (bias ? ", bias" : ""));
        }
        AttrValue t = node.getAttrOrThrow("T");
        List<NodeDef> nodes = new ArrayList<>();
        boolean last = !bias && activation == null;
        NodeDef.Builder conv = NodeDef.newBuilder()
                .setName(last ? node.getName() : node.getName() + "/depthwise")
                .setOp("DepthwiseConv2dNative")
                .addInput(dataInputs.get(0))
                .addInput(dataInputs.get(1))
                .addAllInput(controlInputs)
                .putAttr("T", t);
        for (String attr : List.of("strides", "padding", "dilations", "data_format", "explicit_paddings")) {
            if (node.containsAttr(attr)) {
                conv.putAttr(attr, node.getAttrOrThrow(attr));
            }
        }
        nodes.add(conv.build());
        String previous = conv.getName();
        if (bias) {
            NodeDef.Builder biasAdd = NodeDef.newBuilder()
                    .setName(activation == null ? node.getName() : node.getName() + "/bias_add")
                    .setOp("BiasAdd")
                    .addInput(previous)
                    .addInput(dataInputs.get(2))
                    .putAttr("T", t);
            if (node.containsAttr("data_format")) {
                biasAdd.putAttr("data_format", node.getAttrOrThrow("data_format"));
            }
            nodes.add(biasAdd.build());
            previous = biasAdd.getName();
        }
        if (activation != null) {
            NodeDef.Builder act = NodeDef.newBuilder()
                    .setName(node.getName())
                    .setOp(activation)
                    .addInput(previous)
                    .putAttr("T", t);
            if (activation.equals("LeakyRelu") && node.containsAttr("leakyrelu_alpha")) {
                act.putAttr("alpha", node.getAttrOrThrow("leakyrelu_alpha"));
            }
            nodes.add(act.build());
        }
        return nodes;
    }
}
