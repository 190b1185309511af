package io.posestream.models.info;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;

/**
 * Counts read from a TensorFlow graph with static shapes: multiply-accumulates of its convolutions and matrix
 * products per input item, and its weights (variables, or float constants in a frozen graph).
 */
public final class GraphStats {
    /** A weight tensor of the graph: its name and TF shape. */
    public record Tensor(String name, Shape shape, boolean variable) {
        public long elements() {
            return shape.size();
        }
    }

    private GraphStats() {}

    /**
     * Multiply-accumulates per batch item of every convolution and matrix product, or -1 when a shape they need is
     * not static.
     */
    public static long macs(Graph graph) {
        long total = 0;
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            long m = switch (op.type()) {
                case "Conv2D", "_FusedConv2D" -> conv(op, false);
                case "DepthwiseConv2dNative", "_FusedDepthwiseConv2dNative" -> conv(op, true);
                case "MatMul", "_FusedMatMul" -> matmul(op);
                default -> 0;
            };
            if (m < 0) {
                return -1;
            }
            total += m;
        }
        return total;
    }

    /** Output [N,oh,ow,oc] and kernel [kh,kw,ic,m]: oh*ow*oc*kh*kw*(ic, or 1 for depthwise). */
    private static long conv(GraphOperation op, boolean depthwise) {
        Shape out = op.output(0).shape();
        Shape kernel = op.input(1).shape();
        if (out.numDimensions() != 4
                || kernel.numDimensions() != 4
                || out.isUnknown()
                || kernel.hasUnknownDimension()
                || out.get(1) < 0
                || out.get(2) < 0
                || out.get(3) < 0) {
            return -1;
        }
        long perOutput = kernel.get(0) * kernel.get(1) * (depthwise ? 1 : kernel.get(2));
        return out.get(1) * out.get(2) * out.get(3) * perOutput;
    }

    private static long matmul(GraphOperation op) {
        Shape out = op.output(0).shape();
        Shape a = op.input(0).shape();
        if (out.numDimensions() != 2 || a.numDimensions() != 2 || out.get(1) < 0 || a.get(0) < 0 || a.get(1) < 0) {
            return -1;
        }
        // Per batch row: [1,k] x [k,n]; k is the dimension of a that is not the batch.
        boolean transposeA = Boolean.TRUE.equals(op.attributes().getAttrBool("transpose_a"));
        long k = transposeA ? a.get(0) : a.get(1);
        return k * out.get(1);
    }

    /** The variables of the graph; for a frozen graph without variables, its float constants of rank >= 1. */
    public static List<Tensor> weights(Graph graph) {
        List<Tensor> variables = new ArrayList<>();
        List<Tensor> constants = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            String type = op.type();
            if (type.equals("VariableV2") || type.equals("VarHandleOp")) {
                Shape s = type.equals("VariableV2")
                        ? op.output(0).shape()
                        : op.attributes().getAttrShape("shape");
                variables.add(new Tensor(op.name(), s, true));
            } else if (type.equals("Const") && op.output(0).dataType() == org.tensorflow.proto.DataType.DT_FLOAT) {
                Shape s = op.output(0).shape();
                if (s.numDimensions() >= 1 && !s.hasUnknownDimension()) {
                    constants.add(new Tensor(op.name(), s, false));
                }
            }
        }
        return variables.isEmpty() ? constants : variables;
    }
}
