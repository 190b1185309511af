package io.posestream.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.savedmodel.ModelException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/** Graph edits on a small real graph: a resize whose output size was folded into a constant. */
class GraphSurgeryTest {
    /** x [1,4,4,1] resized bilinearly to a constant 8x8. */
    private static GraphDef upsampling() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            tf.withName("y").image.resizeBilinear(x, tf.withName("size").constant(new int[] {8, 8}));
            return graph.toGraphDef();
        }
    }

    private static int[] sizeOf(GraphDef graph) {
        var tensor = GraphSurgery.node(graph, "size").getAttrOrThrow("value").getTensor();
        if (tensor.getTensorContent().isEmpty()) {
            return tensor.getIntValList().stream().mapToInt(Integer::intValue).toArray();
        }
        var ints = tensor.getTensorContent()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer();
        int[] values = new int[ints.remaining()];
        ints.get(values);
        return values;
    }

    @Test
    void resizeSizesScaleWithTheInputAndTheGraphRunsAtTheNewSize() {
        GraphDef scaled = GraphSurgery.scaleResizeSizes(upsampling(), 0.75);

        assertThat(sizeOf(scaled)).containsExactly(6, 6);
        try (Graph graph = new Graph();
                Session session = new Session(graph);
                TFloat32 input = TFloat32.tensorOf(Shape.of(1, 3, 3, 1))) {
            graph.importGraphDef(scaled);
            try (var result = session.runner().feed("x", input).fetch("y").run()) {
                assertThat(result.get(0).shape()).isEqualTo(Shape.of(1, 6, 6, 1));
            }
        }
    }

    @Test
    void aSizeThatWouldNotBeWholePixelsIsRefusedNamingTheOp() {
        assertThatThrownBy(() -> GraphSurgery.scaleResizeSizes(upsampling(), 0.7))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("resize y size 8 times 0.7 is not a whole number of pixels");
    }
}
