package io.posestream.models.tfjs;

import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SavedModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;

/**
 * Converts a TFJS graph model to a posestream SavedModel: read and dequantise, rewrite fused ops, let the
 * {@link Wrapper} cut the graph to what the contract needs and add its pre/post-processing ops, then export with
 * the metadata asset (the contract is checked before anything is written).
 */
public final class TfjsConverter {
    private static final Logger LOG = LoggerFactory.getLogger(TfjsConverter.class);

    /**
     * The revision of what this converter and the pretrained wrappers make, written into each converted model's
     * metadata ({@code conversion}). Raise it whenever a conversion changes what a model computes or serves, so
     * {@code model prepare} converts models made by an older posestream again. 2: CenterNet takes a batch, MoveNet
     * serves its own decoded keypoints.
     */
    public static final String REVISION = "tfjs-2";

    /** The model-specific part of a conversion: graph edits before import, serving signature after. */
    public interface Wrapper {
        /** Replaces the original input with the contract's {@code image} placeholder and prunes to the outputs. */
        GraphDef edit(GraphDef graph);

        /** Adds the wrapper ops to the imported graph and returns the serving signature. */
        Signature signature(Ops tf, Graph graph);
    }

    private TfjsConverter() {}

    /** Converts {@code modelJson} into the SavedModel directory {@code out}. */
    public static void convert(Path modelJson, Wrapper wrapper, ModelMetadata metadata, Path out) throws IOException {
        long start = System.nanoTime();
        TfjsGraphModel model = TfjsGraphModel.read(modelJson);
        GraphDef graph = wrapper.edit(FusedOpRewriter.rewrite(model.graph()));
        try (Graph g = new Graph()) {
            g.importGraphDef(graph);
            Signature signature = wrapper.signature(Ops.create(g), g);
            try (Session session = new Session(g)) {
                SavedModelWriter.write(session, signature, metadata, out);
            }
        }
        LOG.info(
                "Converted TFJS model {} ({} nodes after rewriting) into {} in {} ms",
                modelJson,
                graph.getNodeCount(),
                out,
                (System.nanoTime() - start) / 1_000_000);
    }
}
