package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.tfjs.GraphSurgery;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * CenterNet (MobileNetV3 backbone, COCO 80 classes) as a person detector. The original takes float32
 * {@code [1,512,512,3]} RGB 0..255 straight into its first convolution (no normalisation op) and ends in
 * {@value #DETECTIONS} {@code [1,100,6]}: the top 100 centre peaks (3x3 max-pool peak picking, no NMS) as
 * x1, y1, x2, y2 in input pixels, score, and 0-based COCO class, 0 being person (the in-graph
 * {@code FloorMod(index, 80)}; {@code @vladmandic/human} reads it as {@code labels[class]}, whose first entry is
 * person). The wrapper splits it into {@code boxes} {@code [1,100,4]} and {@code scores} {@code [1,100]} with the
 * score zeroed for every other class. The graph fixes the batch at 1.
 */
public final class CenterNet implements PretrainedModel {
    static final String ORIGINAL_INPUT = "tower_0/images";
    public static final String DETECTIONS = "tower_0/detections";
    public static final int SIZE = 512;
    static final float PERSON_CLASS = 0f;

    @Override
    public String dirName() {
        return "centernet";
    }

    @Override
    public String packagePath() {
        return "models/centernet.json";
    }

    @Override
    public GraphDef edit(GraphDef graph) {
        return GraphSurgery.replaceInput(
                graph, "CenterNet", ORIGINAL_INPUT, ModelContract.INPUT, List.of(DETECTIONS), 1, SIZE, SIZE, 3);
    }

    @Override
    public Signature signature(Ops tf, Graph graph) {
        Operand<TFloat32> detections = graph.<TFloat32>operation(DETECTIONS).output(0);
        Operand<TFloat32> boxes = tf.withName(ModelContract.BOXES)
                .slice(detections, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, -1, 4}));
        Operand<TFloat32> score = column(tf, detections, 4);
        Operand<TFloat32> cls = column(tf, detections, 5);
        Operand<TFloat32> isPerson = tf.dtypes.cast(tf.math.equal(cls, tf.constant(PERSON_CLASS)), TFloat32.class);
        Operand<TFloat32> scores = tf.withName(ModelContract.SCORES).math.mul(score, isPerson);
        return Signature.builder()
                .key(ModelContract.SIGNATURE_KEY)
                .input(
                        ModelContract.INPUT,
                        graph.<TFloat32>operation(ModelContract.INPUT).output(0))
                .output(ModelContract.BOXES, boxes)
                .output(ModelContract.SCORES, scores)
                .build();
    }

    private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> detections, int index) {
        Operand<TFloat32> slice =
                tf.slice(detections, tf.constant(new int[] {0, 0, index}), tf.constant(new int[] {-1, -1, 1}));
        return tf.squeeze(slice, Squeeze.axis(2L));
    }

    @Override
    public ModelMetadata metadata(String source) {
        return new ModelMetadata(
                "centernet",
                ModelKind.DETECTOR,
                SIZE,
                SIZE,
                0,
                List.of(),
                List.of(),
                1,
                "RGB 0..255 in, fed to the first convolution as is (the original graph has no normalisation op)",
                source,
                true);
    }
}
