package io.posestream.models.tfjs;

import io.posestream.models.savedmodel.ModelException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Small edits of a GraphDef by node name: a new input placeholder, rewiring, pruning to the wanted outputs. */
public final class GraphSurgery {
    private GraphSurgery() {}

    /**
     * Adds a float32 placeholder {@code name} of {@code shape} (-1 for an unknown size) and makes every consumer
     * of tensor {@code replaced} read it instead.
     */
    public static GraphDef replaceWithPlaceholder(GraphDef graph, String replaced, String name, long... shape) {
        node(graph, stripOutput(replaced));
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        NodeDef placeholder = NodeDef.newBuilder()
                .setName(name)
                .setOp("Placeholder")
                .putAttr(
                        "dtype",
                        AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                .putAttr("shape", AttrValue.newBuilder().setShape(dims).build())
                .build();
        GraphDef.Builder out = graph.toBuilder().clearNode().addNode(placeholder);
        for (NodeDef node : graph.getNodeList()) {
            NodeDef.Builder b = node.toBuilder();
            for (int i = 0; i < b.getInputCount(); i++) {
                if (sameTensor(b.getInput(i), replaced)) {
                    b.setInput(i, name);
                }
            }
            out.addNode(b);
        }
        return out.build();
    }

    /**
     * {@link #replaceWithPlaceholder} then {@link #prune} to {@code outputs}; refused, naming {@code model}, when the
     * pruned graph still needs an input other than the new placeholder.
     */
    public static GraphDef replaceInput(
            GraphDef graph, String model, String replaced, String name, List<String> outputs, long... shape) {
        GraphDef pruned = prune(replaceWithPlaceholder(graph, replaced, name, shape), outputs);
        List<String> inputs = placeholders(pruned);
        if (!inputs.equals(List.of(name))) {
            throw new ModelException(
                    model + " graph still needs inputs " + inputs + " after rewiring " + replaced + " to " + name);
        }
        return pruned;
    }

    /** Keeps only the nodes {@code outputs} depend on (data and control inputs). */
    public static GraphDef prune(GraphDef graph, List<String> outputs) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        outputs.forEach(o -> todo.push(stripOutput(o)));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (keep.add(name)) {
                NodeDef node = byName.get(name);
                if (node == null) {
                    throw new ModelException("graph has no node " + name);
                }
                node.getInputList().forEach(i -> todo.push(stripOutput(i)));
            }
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        graph.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(out::addNode);
        return out.build();
    }

    /**
     * Multiplies the constant output sizes of the graph's resize ops by {@code factor}: a graph whose upsampling sizes
     * were folded into constants for one input size then runs at another (each size must stay a whole number).
     */
    public static GraphDef scaleResizeSizes(GraphDef graph, double factor) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Map<String, NodeDef> replaced = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            if (!node.getOp().startsWith("Resize") || node.getInputCount() < 2) {
                continue;
            }
            NodeDef size = byName.get(stripOutput(node.getInput(1)));
            if (size == null || !size.getOp().equals("Const")) {
                throw new ModelException("resize " + node.getName() + " has no constant size to scale");
            }
            int[] values = intValues(size);
            java.nio.ByteBuffer content =
                    java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int v : values) {
                double scaled = v * factor;
                if (Math.abs(scaled - Math.rint(scaled)) > 1e-9) {
                    throw new ModelException("resize " + node.getName() + " size " + v + " times " + factor
                            + " is not a whole number of pixels");
                }
                content.putInt((int) Math.rint(scaled));
            }
            TensorProto tensor = size.getAttrOrThrow("value").getTensor().toBuilder()
                    .clearIntVal()
                    .setTensorContent(com.google.protobuf.ByteString.copyFrom(content.array()))
                    .build();
            replaced.put(
                    size.getName(),
                    size.toBuilder()
                            .putAttr(
                                    "value",
                                    AttrValue.newBuilder().setTensor(tensor).build())
                            .build());
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        graph.getNodeList().forEach(n -> out.addNode(replaced.getOrDefault(n.getName(), n)));
        return out.build();
    }

    private static int[] intValues(NodeDef constant) {
        TensorProto tensor = constant.getAttrOrThrow("value").getTensor();
        if (tensor.getDtype() != DataType.DT_INT32) {
            throw new ModelException("constant " + constant.getName() + " is " + tensor.getDtype() + ", not int32");
        }
        if (!tensor.getTensorContent().isEmpty()) {
            java.nio.IntBuffer ints = tensor.getTensorContent()
                    .asReadOnlyByteBuffer()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asIntBuffer();
            int[] values = new int[ints.remaining()];
            ints.get(values);
            return values;
        }
        return tensor.getIntValList().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The names of the graph's Placeholder nodes. */
    public static List<String> placeholders(GraphDef graph) {
        return graph.getNodeList().stream()
                .filter(n -> n.getOp().equals("Placeholder"))
                .map(NodeDef::getName)
                .toList();
    }

    /** The node called {@code name}; throws naming it if the graph has none. */
    public static NodeDef node(GraphDef graph, String name) {
        return graph.getNodeList().stream()
                .filter(n -> n.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new ModelException("graph has no node " + name));
    }

    private static boolean sameTensor(String input, String tensor) {
        if (input.startsWith("^")) {
            return false;
        }
        return normalise(input).equals(normalise(tensor));
    }

    private static String normalise(String tensor) {
        return tensor.contains(":") ? tensor : tensor + ":0";
    }

    private static String stripOutput(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
