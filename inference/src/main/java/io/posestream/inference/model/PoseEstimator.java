package io.posestream.inference.model;

import io.posestream.inference.postprocess.FlipAugmentation;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelException;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.PoseOutput;
import io.posestream.schemas.CocoKeypoints;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * Runs a pose SavedModel on crops already cut to its input size and returns its output per crop: heatmaps, or
 * keypoints in crop pixels for a model that decodes itself ({@link #output()}); knows nothing of frames or boxes.
 * Crops are sent in calls of at most {@link Settings#maxBatch()} (and the graph's own limit), and with the flip test
 * each call is repeated on mirrored crops and merged as HRNet's evaluation does.
 */
public final class PoseEstimator {
    /**
     * @param maxBatch     most crops per model call
     * @param flipTest     also run mirrored crops and average (twice the cost, steadier keypoints)
     * @param shiftHeatmap HRNet's one-pixel shift of the mirrored heatmaps (its models were trained for it)
     */
    public record Settings(int maxBatch, boolean flipTest, boolean shiftHeatmap) {
        public Settings {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be at least 1, was " + maxBatch);
            }
        }
    }

    private final LoadedModel model;
    private final Settings settings;
    private final int batchLimit;
    private final int[][] flipPairs;

    public PoseEstimator(LoadedModel model, Settings settings) {
        ModelMetadata metadata = model.metadata();
        if (metadata.kind() != ModelKind.POSE) {
            throw new IllegalArgumentException(
                    "model " + model.dir() + " is a " + metadata.kind() + " model, not a pose model");
        }
        if (!metadata.keypoints().equals(CocoKeypoints.NAMES)) {
            // Persons on the topic carry COCO-17 in COCO order; another layout would be silently mislabelled.
            throw new ModelException("Pose model " + model.dir() + " has keypoints " + metadata.keypoints()
                    + "; expected the COCO-17 keypoints " + CocoKeypoints.NAMES);
        }
        this.model = model;
        this.settings = settings;
        this.batchLimit =
                metadata.maxBatch() > 0 ? Math.min(metadata.maxBatch(), settings.maxBatch()) : settings.maxBatch();
        this.flipPairs = metadata.flipPairs().stream()
                .map(p -> p.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    public String name() {
        return model.metadata().name();
    }

    public int inputWidth() {
        return model.metadata().inputWidth();
    }

    public int inputHeight() {
        return model.metadata().inputHeight();
    }

    /** What the model outputs: heatmaps to decode, or keypoints it decoded itself. */
    public PoseOutput output() {
        return model.metadata().poseOutput();
    }

    /** Heatmap width in cells; only for a model that outputs heatmaps. */
    public int heatmapWidth() {
        return inputWidth() / stride();
    }

    /** Heatmap height in cells; only for a model that outputs heatmaps. */
    public int heatmapHeight() {
        return inputHeight() / stride();
    }

    private int stride() {
        if (output() != PoseOutput.HEATMAPS) {
            throw new IllegalStateException("pose model " + name() + " outputs " + output() + ", not heatmaps");
        }
        return model.metadata().heatmapStride();
    }

    public int keypoints() {
        return model.metadata().keypoints().size();
    }

    /** Values per crop in the input buffer. */
    public int cropSize() {
        return inputWidth() * inputHeight() * 3;
    }

    /** Values per crop in the output: {@code h * w * K} heatmap values, or {@code K * 3} keypoint values. */
    public int outputSize() {
        return output() == PoseOutput.HEATMAPS ? heatmapWidth() * heatmapHeight() * keypoints() : keypoints() * 3;
    }

    /** Most crops per model call: the configured batch within the graph's own limit. */
    public int batchLimit() {
        return batchLimit;
    }

    /**
     * The output of the first {@code n} crops in {@code crops}, {@link #outputSize()} values each: heatmaps
     * {@code [n, h, w, K]} (NHWC, flattened), or keypoints {@code [n, K, 3]} (x, y in crop pixels, score).
     */
    public float[] outputs(float[] crops, int n) {
        float[] outputs = new float[n * outputSize()];
        for (int start = 0; start < n; start += batchLimit) {
            int count = Math.min(batchLimit, n - start);
            float[] part = run(crops, start * cropSize(), count);
            if (settings.flipTest()) {
                float[] mirrored = FlipAugmentation.flipInput(
                        slice(crops, start * cropSize(), count * cropSize()), count, inputHeight(), inputWidth(), 3);
                float[] flipped = run(mirrored, 0, count);
                if (output() == PoseOutput.HEATMAPS) {
                    FlipAugmentation.mergeFlipped(
                            part,
                            flipped,
                            count,
                            heatmapHeight(),
                            heatmapWidth(),
                            keypoints(),
                            flipPairs,
                            settings.shiftHeatmap());
                } else {
                    FlipAugmentation.mergeFlippedKeypoints(part, flipped, count, keypoints(), inputWidth(), flipPairs);
                }
            }
            System.arraycopy(part, 0, outputs, start * outputSize(), part.length);
        }
        return outputs;
    }

    private float[] run(float[] pixels, int offset, int count) {
        String name = output() == PoseOutput.HEATMAPS ? ModelContract.HEATMAPS : ModelContract.KEYPOINTS;
        try (TFloat32 input = Tensors.images(pixels, offset, count, inputHeight(), inputWidth());
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            return Tensors.read((TFloat32) result.get(name).orElseThrow());
        }
    }

    private static float[] slice(float[] values, int offset, int length) {
        float[] copy = new float[length];
        System.arraycopy(values, offset, copy, 0, length);
        return copy;
    }
}
