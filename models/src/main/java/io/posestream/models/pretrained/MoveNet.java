package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.PoseOutput;
import io.posestream.models.tfjs.GraphSurgery;
import io.posestream.models.tfjs.TfjsConverter;
import io.posestream.schemas.CocoKeypoints;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * MoveNet SinglePose (Thunder 256x256 or Lightning 192x192) as a pose model that decodes itself: keypoints out.
 *
 * <p>The original takes int32 {@code [1,S,S,3]}, casts it to float, unstacks and restacks the single image, scales
 * to [-1,1], runs the network to four heads on an S/4 grid (person centre, keypoint heatmaps, keypoint regression
 * from the centre, sub-cell offsets) and decodes them for batch 1 only, its reshapes and gathers fixing the batch:
 * <ol>
 *   <li>the centre heatmap times a fixed weight map that favours the middle of the crop
 *       ({@value #CENTRE_WEIGHT}); its argmax is the person's centre cell;</li>
 *   <li>the regression head at that cell gives each keypoint's position relative to the centre;</li>
 *   <li>each keypoint heatmap divided by (distance to that regressed position + {@value #DISTANCE_BIAS}), so the
 *       peak nearest to this person wins over other people's joints; its argmax is the keypoint's cell;</li>
 *   <li>the offset head at that cell moves the keypoint within the cell; the score is the heatmap there;</li>
 *   <li>(cell + offset) times 1/grid ({@value #SCALE}) gives coordinates in [0,1] of the crop.</li>
 * </ol>
 * The wrapper feeds the float32 {@code image} straight into the scaling (an integer-valued image gives exactly the
 * original's numbers; fractional pixels from an affine crop are kept rather than truncated), cuts the graph at the
 * four heads and rebuilds the same decoding with batch-free ops, reading its constants (weight map, coordinate grids,
 * bias, scale) from the original graph. It serves {@code keypoints} {@code [N,17,3]}: x, y in input pixels (the
 * original's [0,1] coordinates times the input size) and the score.
 */
public final class MoveNet implements PretrainedModel {
    /** The original's float image after its cast/unstack/stack, just before normalisation. */
    static final String STACKED_INPUT = "StatefulPartitionedCall/stack";

    /** Keypoint heatmaps: sigmoid of the keypoint head, {@code [N,G,G,17]} (G = S/4). */
    public static final String HEATMAPS = "StatefulPartitionedCall/Sigmoid";
    /** Person centre heatmap, {@code [N,G,G,1]}. */
    static final String CENTRE = "StatefulPartitionedCall/Sigmoid_1";
    /** Keypoint positions relative to the centre cell, {@code [N,G,G,34]} as (dy, dx) per keypoint. */
    static final String REGRESSION = "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd";
    /** Sub-cell keypoint offsets, {@code [N,G,G,34]} as (dy, dx) per keypoint. */
    static final String OFFSETS = "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd";
    /** The original's decoded output {@code [1,1,17,3]}: y, x in [0,1], score. */
    public static final String DECODED = "Identity";

    /** Reciprocal of the centre weight map, {@code [G,G,1]}. */
    static final String CENTRE_WEIGHT = "ConstantFolding/StatefulPartitionedCall/truediv_2_recip";
    /** Row index of each grid cell, {@code [G,G,1]}. */
    static final String GRID_Y = "StatefulPartitionedCall/strided_slice_3";
    /** Column index of each grid cell, {@code [G,G,1]}. */
    static final String GRID_X = "StatefulPartitionedCall/strided_slice_4";
    /** Added to the distance before dividing a heatmap by it (about 1.8). */
    static final String DISTANCE_BIAS = "StatefulPartitionedCall/add_5/y";
    /** (1/G, 1/G): from grid cells to [0,1]. */
    static final String SCALE = "StatefulPartitionedCall/Reshape_13";

    public static final MoveNet THUNDER = new MoveNet("movenet-thunder", "Thunder", 256, 256);
    public static final MoveNet LIGHTNING = new MoveNet("movenet-lightning", "Lightning", 192, 192);

    public static final int STRIDE = 4;

    private final String name;
    private final String variant;
    private final int nativeSize;
    private final int size;

    private MoveNet(String name, String variant, int nativeSize, int size) {
        this.name = name;
        this.variant = variant;
        this.nativeSize = nativeSize;
        this.size = size;
    }

    /**
     * The same network fed a smaller (or larger) square input, {@code size} a multiple of 64: the convolutions take
     * any size, and the decoding's grid-sized constants are computed for the new grid (the original's centre weight
     * map is 1 / (distance to the grid centre + 1.8), its grids the row and column indices, its scale 1/grid).
     */
    public MoveNet atInput(int size) {
        if (size < 64 || size % 64 != 0) {
            throw new IllegalArgumentException(
                    "MoveNet input must be a multiple of 64 (its feature pyramid halves it six times), got " + size);
        }
        return size == nativeSize ? this : new MoveNet(dirNameOf(size), variant, nativeSize, size);
    }

    private String dirNameOf(int size) {
        return (nativeSize == size ? name : name.replaceAll("-\\d+$", "") + "-" + size);
    }

    /** Input height and width in pixels. */
    public int size() {
        return size;
    }

    @Override
    public String dirName() {
        return name;
    }

    @Override
    public String packagePath() {
        return "models/movenet-" + variant.toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    @Override
    public GraphDef edit(GraphDef graph) {
        return GraphSurgery.replaceInput(
                size == nativeSize ? graph : GraphSurgery.scaleResizeSizes(graph, (double) size / nativeSize),
                "MoveNet SinglePose " + variant,
                STACKED_INPUT,
                ModelContract.INPUT,
                List.of(HEATMAPS, CENTRE, REGRESSION, OFFSETS, CENTRE_WEIGHT, GRID_Y, GRID_X, DISTANCE_BIAS, SCALE),
                -1,
                size,
                size,
                3);
    }

    @Override
    public Signature signature(Ops tf, Graph graph) {
        Operand<TFloat32> heatmaps = output(graph, HEATMAPS);
        Operand<TFloat32> centre = output(graph, CENTRE);
        Operand<TFloat32> regression = output(graph, REGRESSION);
        Operand<TFloat32> offsets = output(graph, OFFSETS);
        int grid = size / STRIDE;
        int k = CocoKeypoints.COUNT;
        Operand<TInt32> n = tf.stridedSlice(
                tf.shape(heatmaps),
                tf.constant(new int[] {0}),
                tf.constant(new int[] {1}),
                tf.constant(new int[] {1}),
                org.tensorflow.op.core.StridedSlice.shrinkAxisMask(1L));
        Operand<TInt32> gridSize = tf.constant(grid);

        Operand<TFloat32> centreWeight;
        Operand<TFloat32> gridY;
        Operand<TFloat32> gridX;
        Operand<TFloat32> scaleToUnit;
        if (size == nativeSize) {
            centreWeight = output(graph, CENTRE_WEIGHT);
            gridY = output(graph, GRID_Y);
            gridX = output(graph, GRID_X);
            scaleToUnit = output(graph, SCALE);
        } else {
            float[][][] weight = new float[grid][grid][1];
            float[][][] rows = new float[grid][grid][1];
            float[][][] columns = new float[grid][grid][1];
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    weight[y][x][0] = (float) (1 / (Math.hypot(y - grid / 2.0, x - grid / 2.0) + 1.8));
                    rows[y][x][0] = y;
                    columns[y][x][0] = x;
                }
            }
            centreWeight = tf.constant(weight);
            gridY = tf.constant(rows);
            gridX = tf.constant(columns);
            scaleToUnit = tf.constant(new float[] {1f / grid, 1f / grid});
        }

        // 1. The person's centre: the weighted centre heatmap's best cell.
        Operand<TFloat32> weighted = tf.math.mul(centre, centreWeight);
        Operand<TInt32> centreCell = tf.math.argMax(
                tf.reshape(weighted, tf.constant(new int[] {-1, grid * grid})), tf.constant(1), TInt32.class);
        Operand<TInt32> centreY = tf.math.floorDiv(centreCell, gridSize);
        Operand<TInt32> centreX = tf.math.sub(centreCell, tf.math.mul(centreY, gridSize));
        Operand<TInt32> batch = tf.range(tf.constant(0), n, tf.constant(1));

        // 2. Keypoints regressed from the centre: [N,17] rows and columns, in grid cells.
        Operand<TFloat32> regressed = tf.reshape(
                tf.gatherNd(regression, tf.stack(List.of(batch, centreY, centreX), Stack.axis(1L))),
                tf.constant(new int[] {-1, 1, 1, k, 2}));
        Operand<TFloat32> regressedY = tf.math.add(
                column(tf, regressed, 0),
                tf.reshape(tf.dtypes.cast(centreY, TFloat32.class), tf.constant(new int[] {-1, 1, 1, 1})));
        Operand<TFloat32> regressedX = tf.math.add(
                column(tf, regressed, 1),
                tf.reshape(tf.dtypes.cast(centreX, TFloat32.class), tf.constant(new int[] {-1, 1, 1, 1})));

        // 3. Each heatmap divided by (distance to the regressed keypoint + bias): [N,G,G,17]; its best cell per
        // keypoint.
        Operand<TFloat32> distance = tf.math.add(
                tf.math.sqrt(tf.math.add(
                        tf.math.squaredDifference(gridY, regressedY), tf.math.squaredDifference(gridX, regressedX))),
                output(graph, DISTANCE_BIAS));
        Operand<TInt32> cell = tf.math.argMax(
                tf.reshape(tf.math.div(heatmaps, distance), tf.constant(new int[] {-1, grid * grid, k})),
                tf.constant(1),
                TInt32.class);
        Operand<TInt32> cellY = tf.math.floorDiv(cell, gridSize);
        Operand<TInt32> cellX = tf.math.sub(cell, tf.math.mul(cellY, gridSize));

        // 4. The offset and the score at each keypoint's cell: indices [N,17,4] = (item, row, column, keypoint).
        Operand<TInt32> items = tf.math.mul(tf.expandDims(batch, tf.constant(1)), tf.onesLike(cell));
        Operand<TInt32> keypoints =
                tf.math.mul(tf.onesLike(cell), tf.range(tf.constant(0), tf.constant(k), tf.constant(1)));
        Operand<TInt32> at = tf.stack(List.of(items, cellY, cellX, keypoints), Stack.axis(2L));
        Operand<TFloat32> offset = tf.gatherNd(tf.reshape(offsets, tf.constant(new int[] {-1, grid, grid, k, 2})), at);
        Operand<TFloat32> score = tf.gatherNd(heatmaps, at);

        // 5. (cell + offset) / G in [0,1] as the original computes it, then times the input size: input pixels.
        Operand<TFloat32> scale = tf.reshape(scaleToUnit, tf.constant(new int[] {2}));
        Operand<TFloat32> y = tf.math.mul(
                tf.math.mul(
                        tf.math.add(tf.dtypes.cast(cellY, TFloat32.class), slice2(tf, offset, 0)),
                        element(tf, scale, 0)),
                tf.constant((float) size));
        Operand<TFloat32> x = tf.math.mul(
                tf.math.mul(
                        tf.math.add(tf.dtypes.cast(cellX, TFloat32.class), slice2(tf, offset, 1)),
                        element(tf, scale, 1)),
                tf.constant((float) size));
        Operand<TFloat32> decoded = tf.withName(ModelContract.KEYPOINTS).stack(List.of(x, y, score), Stack.axis(2L));
        return Signature.builder()
                .key(ModelContract.SIGNATURE_KEY)
                .input(
                        ModelContract.INPUT,
                        graph.<TFloat32>operation(ModelContract.INPUT).output(0))
                .output(ModelContract.KEYPOINTS, decoded)
                .build();
    }

    private static Operand<TFloat32> output(Graph graph, String name) {
        return graph.<TFloat32>operation(name).output(0);
    }

    /** Component {@code c} of {@code [N,1,1,17,2]} as {@code [N,1,1,17]}. */
    private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> pairs, int c) {
        return tf.squeeze(
                tf.slice(pairs, tf.constant(new int[] {0, 0, 0, 0, c}), tf.constant(new int[] {-1, -1, -1, -1, 1})),
                org.tensorflow.op.core.Squeeze.axis(List.of(4L)));
    }

    /** Component {@code c} of {@code [N,17,2]} as {@code [N,17]}. */
    private static Operand<TFloat32> slice2(Ops tf, Operand<TFloat32> pairs, int c) {
        return tf.squeeze(
                tf.slice(pairs, tf.constant(new int[] {0, 0, c}), tf.constant(new int[] {-1, -1, 1})),
                org.tensorflow.op.core.Squeeze.axis(List.of(2L)));
    }

    private static Operand<TFloat32> element(Ops tf, Operand<TFloat32> vector, int i) {
        return tf.reshape(
                tf.slice(vector, tf.constant(new int[] {i}), tf.constant(new int[] {1})), tf.constant(new int[0]));
    }

    @Override
    public ModelMetadata metadata(String source) {
        return new ModelMetadata(
                name,
                ModelKind.POSE,
                size,
                size,
                0,
                CocoKeypoints.NAMES,
                CocoKeypoints.FLIP_PAIRS,
                0,
                "RGB 0..255 in; inside the graph x * (1/127.5, stored as float16) - 1, to [-1, 1]",
                source,
                true,
                PoseOutput.KEYPOINTS,
                TfjsConverter.REVISION);
    }

    @Override
    public String toString() {
        return name;
    }
}
