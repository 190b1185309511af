package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.tfjs.GraphSurgery;
import io.posestream.models.tfjs.TfjsConverter;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * CenterNet (MobileNetV3 backbone, COCO 80 classes) as a person detector that takes a batch.
 *
 * <p>The original takes float32 {@code [1,512,512,3]} RGB 0..255 straight into its first convolution (no
 * normalisation op), computes 80 class heatmaps {@value #PEAKS} {@code [N,128,128,80]} (already reduced to the 3x3
 * local maxima: the heatmap times whether it equals its 3x3 max-pool) and box extents {@value #EXTENTS}
 * {@code [N,128,128,4]}, then decodes for batch 1 only: reshapes to {@code [1,-1]}, the top 100 peaks, and a gather
 * of the extents whose index arithmetic assumes a single image ({@value #DETECTIONS} {@code [1,100,6]}: x1, y1, x2, y2
 * in input pixels, score, 0-based COCO class, 0 being person; {@code @vladmandic/human} reads it as
 * {@code labels[class]}). No NMS.
 *
 * <p>The wrapper cuts the graph at the peaks and the extents (the convolutional part takes any batch) and rebuilds
 * the same decoding per image with batch-free ops, reading its constants (k = 100, grid width 128, 80 classes,
 * stride 4) from the original graph: {@code index = (row * 128 + column) * 80 + class}; box = column x 4 - extent 0,
 * row x 4 - extent 1, column x 4 + extent 2, row x 4 + extent 3. It serves {@code boxes} {@code [N,100,4]} and
 * {@code scores} {@code [N,100]}, the score zeroed for every class but person.
 */
public final class CenterNet implements PretrainedModel {
    static final String ORIGINAL_INPUT = "tower_0/images";
    /** The original's decoded output, {@code [1,100,6]}. */
    public static final String DETECTIONS = "tower_0/detections";
    /** Class heatmaps kept only at their 3x3 local maxima, {@code [N,128,128,80]}. */
    static final String PEAKS = "tower_0/mul_1";
    /** Box extents left, top, right, bottom from each cell centre in input pixels, {@code [N,128,128,4]}. */
    static final String EXTENTS = "tower_0/wh";

    static final String TOP_K = "tower_0/TopKV2/k";
    static final String GRID_WIDTH = "tower_0/strided_slice_6";
    static final String CLASSES = "tower_0/strided_slice_7";
    /** The original multiplies column and row by four constants (all 4, the output stride), one per box side. */
    static final List<String> STRIDES =
            List.of("tower_0/mul_3/y", "tower_0/mul_4/y", "tower_0/mul_5/y", "tower_0/mul_6/y");

    public static final int SIZE = 512;
    static final int PERSON_CLASS = 0;

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
        List<String> keep = new java.util.ArrayList<>(List.of(PEAKS, EXTENTS, TOP_K, GRID_WIDTH, CLASSES));
        keep.addAll(STRIDES);
        return GraphSurgery.replaceInput(
                graph, "CenterNet", ORIGINAL_INPUT, ModelContract.INPUT, keep, -1, SIZE, SIZE, 3);
    }

    @Override
    public Signature signature(Ops tf, Graph graph) {
        Operand<TFloat32> peaks = graph.<TFloat32>operation(PEAKS).output(0);
        Operand<TFloat32> extents = graph.<TFloat32>operation(EXTENTS).output(0);
        Operand<TInt32> k = graph.<TInt32>operation(TOP_K).output(0);
        Operand<TInt32> width = graph.<TInt32>operation(GRID_WIDTH).output(0);
        Operand<TInt32> classes = graph.<TInt32>operation(CLASSES).output(0);

        // Per image: the best 100 peaks over all cells and classes, sorted, as the original's TopKV2 on [1,-1].
        TopK<TFloat32, TInt32> top = tf.nn.topK(tf.reshape(peaks, perImage(tf, peaks, -1)), k, new TopK.Options[0]);
        Operand<TInt32> cell = tf.math.floorDiv(top.indices(), classes);
        Operand<TInt32> cls = tf.math.floorMod(top.indices(), classes);
        Operand<TInt32> row = tf.math.floorDiv(cell, width);
        Operand<TInt32> column = tf.math.floorMod(cell, width);
        // Each image's extents at its own peaks: [N,H*W,4] gathered along the cells with one batch dimension.
        Operand<TFloat32> perCell = tf.reshape(extents, perImage(tf, extents, -1, 4));
        Operand<TFloat32> extent = tf.gather(perCell, cell, tf.constant(1), Gather.batchDims(1L));

        Operand<TFloat32> x = tf.dtypes.cast(column, TFloat32.class);
        Operand<TFloat32> y = tf.dtypes.cast(row, TFloat32.class);
        Operand<TFloat32> x1 = tf.math.sub(tf.math.mul(x, stride(graph, 0)), side(tf, extent, 0));
        Operand<TFloat32> y1 = tf.math.sub(tf.math.mul(y, stride(graph, 1)), side(tf, extent, 1));
        Operand<TFloat32> x2 = tf.math.add(tf.math.mul(x, stride(graph, 2)), side(tf, extent, 2));
        Operand<TFloat32> y2 = tf.math.add(tf.math.mul(y, stride(graph, 3)), side(tf, extent, 3));
        Operand<TFloat32> boxes = tf.withName(ModelContract.BOXES).stack(List.of(x1, y1, x2, y2), Stack.axis(2L));
        Operand<TFloat32> isPerson = tf.dtypes.cast(tf.math.equal(cls, tf.constant(PERSON_CLASS)), TFloat32.class);
        Operand<TFloat32> scores = tf.withName(ModelContract.SCORES).math.mul(top.values(), isPerson);
        return Signature.builder()
                .key(ModelContract.SIGNATURE_KEY)
                .input(
                        ModelContract.INPUT,
                        graph.<TFloat32>operation(ModelContract.INPUT).output(0))
                .output(ModelContract.BOXES, boxes)
                .output(ModelContract.SCORES, scores)
                .build();
    }

    /** The shape {@code [N, rest...]} with N the batch size of {@code tensor}: a reshape that keeps the images apart. */
    private static Operand<TInt32> perImage(Ops tf, Operand<TFloat32> tensor, int... rest) {
        Operand<TInt32> batch = tf.slice(tf.shape(tensor), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        return tf.concat(List.of(batch, tf.constant(rest)), tf.constant(0));
    }

    private static Operand<TFloat32> stride(Graph graph, int side) {
        return graph.<TFloat32>operation(STRIDES.get(side)).output(0);
    }

    /** Extent {@code side} of {@code [N,100,4]} as {@code [N,100]}. */
    private static Operand<TFloat32> side(Ops tf, Operand<TFloat32> extent, int side) {
        return tf.squeeze(
                tf.slice(extent, tf.constant(new int[] {0, 0, side}), tf.constant(new int[] {-1, -1, 1})),
                Squeeze.axis(2L));
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
                0,
                "RGB 0..255 in, fed to the first convolution as is (the original graph has no normalisation op)",
                source,
                true,
                null,
                TfjsConverter.REVISION);
    }

    @Override
    public String toString() {
        return "centernet";
    }
}
