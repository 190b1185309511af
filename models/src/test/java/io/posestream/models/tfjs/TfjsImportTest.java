package io.posestream.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.savedmodel.ModelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/** A hand-written TFJS graph model through the importer: float16 weights, the TFJS-only fused depthwise op. */
class TfjsImportTest {

    /** y = relu6(depthwise(x, 2) + (-1)) with float16 weights, as the TFJS converter writes it. */
    private static Path writeModel(Path dir, String fusedOps, byte[] weights) throws Exception {
        String json = """
                {"format": "graph-model", "modelTopology": {"node": [
                  {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                    "shape": {"shape": {"dim": [{"size": "1"}, {"size": "2"}, {"size": "2"}, {"size": "1"}]}}}},
                  {"name": "filter", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                    "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}, {"size": "1"},
                    {"size": "1"}, {"size": "1"}]}}}}},
                  {"name": "bias", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                    "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}]}}}}},
                  {"name": "y", "op": "FusedDepthwiseConv2dNative", "input": ["x", "filter", "bias"],
                    "device": "/device:CPU:0",
                    "attr": {"T": {"type": "DT_FLOAT"}, "num_args": {"i": "1"},
                      "strides": {"list": {"i": ["1", "1", "1", "1"]}}, "padding": {"s": "%s"},
                      "dilations": {"list": {"i": ["1", "1", "1", "1"]}}, "data_format": {"s": "%s"},
                      "fused_ops": {"list": {"s": [%s]}}}}
                ], "library": {}, "versions": {}},
                "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
                  {"name": "filter", "shape": [1, 1, 1, 1], "dtype": "float32",
                    "quantization": {"dtype": "float16", "original_dtype": "float32"}},
                  {"name": "bias", "shape": [1], "dtype": "float32",
                    "quantization": {"dtype": "float16", "original_dtype": "float32"}}]}]}
                """.formatted(b64("VALID"), b64("NHWC"), fusedOps);
        Path model = dir.resolve("model.json");
        Files.writeString(model, json);
        Files.write(dir.resolve("group1-shard1of1.bin"), weights);
        return model;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final byte[] WEIGHTS = {0x00, 0x40, 0x00, (byte) 0xbc}; // float16 2.0 and -1.0, little-endian

    @Test
    void fusedDepthwiseBecomesTensorFlowOpsThatComputeTheSame(@TempDir Path tmp) throws Exception {
        Path model = writeModel(tmp, "\"" + b64("BiasAdd") + "\", \"" + b64("Relu6") + "\"", WEIGHTS);
        GraphDef graph = FusedOpRewriter.rewrite(TfjsGraphModel.read(model).graph());

        assertThat(graph.getNodeList())
                .extracting(NodeDef::getOp)
                .containsExactly("Placeholder", "Const", "Const", "DepthwiseConv2dNative", "BiasAdd", "Relu6");
        assertThat(graph.getNodeList()).extracting(NodeDef::getDevice).containsOnly("");
        assertThat(GraphSurgery.node(graph, "y").getOp())
                .as("consumers still find y")
                .isEqualTo("Relu6");
        try (Graph g = new Graph()) {
            g.importGraphDef(graph);
            try (Session s = new Session(g);
                    TFloat32 x = TFloat32.tensorOf(Shape.of(1, 2, 2, 1), DataBuffers.of(0f, 1f, 3f, 4f));
                    TFloat32 y =
                            (TFloat32) s.runner().feed("x", x).fetch("y").run().get(0)) {
                float[] out = new float[4];
                y.copyTo(DataBuffers.of(out, false, false));
                assertThat(out).containsExactly(0f, 1f, 5f, 6f); // relu6(2x - 1)
            }
        }
    }

    @Test
    void aShortShardNamesTheModelAndTheWeight(@TempDir Path tmp) throws Exception {
        Path model = writeModel(tmp, "\"" + b64("BiasAdd") + "\"", new byte[] {0x00, 0x40, 0x00});
        assertThatThrownBy(() -> TfjsGraphModel.read(model))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("weight bias needs bytes 2..4");
    }

    @Test
    void anUnsupportedFusedActivationNamesTheNode(@TempDir Path tmp) throws Exception {
        Path model = writeModel(tmp, "\"" + b64("BiasAdd") + "\", \"" + b64("Prelu") + "\"", WEIGHTS);
        GraphDef graph = TfjsGraphModel.read(model).graph();
        assertThatThrownBy(() -> FusedOpRewriter.rewrite(graph))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("node y (FusedDepthwiseConv2dNative) fuses [BiasAdd, Prelu]");
    }

    @Test
    void aLayersModelOrNonJsonIsRefused(@TempDir Path tmp) throws Exception {
        Path layers = tmp.resolve("layers.json");
        Files.writeString(layers, "{\"format\": \"layers-model\", \"modelTopology\": {}, \"weightsManifest\": []}");
        assertThatThrownBy(() -> TfjsGraphModel.read(layers))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("only graph-model is supported");
        Path junk = tmp.resolve("junk.json");
        Files.writeString(junk, "not json");
        assertThatThrownBy(() -> TfjsGraphModel.read(junk))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(junk + " is not readable JSON");
    }

    @Test
    void pruneKeepsOnlyWhatTheOutputsNeed(@TempDir Path tmp) throws Exception {
        Path model = writeModel(tmp, "\"" + b64("BiasAdd") + "\"", WEIGHTS);
        GraphDef graph = FusedOpRewriter.rewrite(TfjsGraphModel.read(model).graph());
        GraphDef replaced = GraphSurgery.replaceWithPlaceholder(graph, "x", "image", -1, 2, 2, 1);
        GraphDef pruned = GraphSurgery.prune(replaced, List.of("y"));
        assertThat(GraphSurgery.placeholders(pruned)).containsExactly("image");
        assertThatThrownBy(() -> GraphSurgery.prune(graph, List.of("nope")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("graph has no node nope");
    }

    @Test
    void replaceInputRefusesAGraphThatStillNeedsAnotherInput(@TempDir Path tmp) throws Exception {
        Path model = writeModel(tmp, "\"" + b64("BiasAdd") + "\"", WEIGHTS);
        GraphDef graph = FusedOpRewriter.rewrite(TfjsGraphModel.read(model).graph());
        GraphDef rewired = GraphSurgery.replaceInput(graph, "Test", "x", "image", List.of("y"), -1, 2, 2, 1);
        assertThat(GraphSurgery.placeholders(rewired)).containsExactly("image");
        assertThatThrownBy(() -> GraphSurgery.replaceInput(graph, "Test", "filter", "image", List.of("y"), 1, 1, 1, 1))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Test graph still needs inputs [image, x] after rewiring filter to image");
    }
}
