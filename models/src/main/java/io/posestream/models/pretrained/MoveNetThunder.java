package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.tfjs.GraphSurgery;
import io.posestream.schemas.CocoKeypoints;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * MoveNet SinglePose Thunder as a pose model. The original takes int32 {@code [1,256,256,3]}, casts it to float,
 * unstacks and restacks the single image, scales to [-1,1] and decodes the best keypoints in the graph. The
 * wrapper feeds the float32 {@code image} straight into the scaling (an integer-valued image gives exactly the
 * original's numbers; fractional pixels are kept rather than truncated), which also frees the batch size, and
 * serves the 17 sigmoid keypoint heatmaps ({@value #HEATMAPS}, 64x64, stride 4) instead of the in-graph decoding.
 */
public final class MoveNetThunder implements PretrainedModel {
    /** The original's float image after its cast/unstack/stack, just before normalisation. */
    static final String STACKED_INPUT = "StatefulPartitionedCall/stack";
    /** The keypoint heatmaps: sigmoid of the keypoint head, {@code [N,64,64,17]}. */
    public static final String HEATMAPS = "StatefulPartitionedCall/Sigmoid";

    public static final int SIZE = 256;
    public static final int STRIDE = 4;

    @Override
    public String dirName() {
        return "movenet-thunder";
    }

    @Override
    public String packagePath() {
        return "models/movenet-thunder.json";
    }

    @Override
    public GraphDef edit(GraphDef graph) {
        return GraphSurgery.replaceInput(
                graph, "MoveNet SinglePose", STACKED_INPUT, ModelContract.INPUT, List.of(HEATMAPS), -1, SIZE, SIZE, 3);
    }

    @Override
    public Signature signature(Ops tf, Graph graph) {
        return Signature.builder()
                .key(ModelContract.SIGNATURE_KEY)
                .input(
                        ModelContract.INPUT,
                        graph.<TFloat32>operation(ModelContract.INPUT).output(0))
                .output(
                        ModelContract.HEATMAPS,
                        tf.withName(ModelContract.HEATMAPS)
                                .identity(graph.<TFloat32>operation(HEATMAPS).output(0)))
                .build();
    }

    @Override
    public ModelMetadata metadata(String source) {
        return new ModelMetadata(
                "movenet-thunder",
                ModelKind.POSE,
                SIZE,
                SIZE,
                STRIDE,
                CocoKeypoints.NAMES,
                CocoKeypoints.FLIP_PAIRS,
                0,
                "RGB 0..255 in; inside the graph x * (1/127.5, stored as float16) - 1, to [-1, 1]",
                source,
                true);
    }
}
