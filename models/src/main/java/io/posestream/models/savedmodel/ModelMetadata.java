package io.posestream.models.savedmodel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a worker needs to know to use a SavedModel, stored next to it as {@code assets/posestream-model.json} so no
 * side configuration is needed (docs/architecture.md, Contracts).
 *
 * @param name          model name, e.g. {@code hrnet-w32-256x192} or {@code movenet-thunder}
 * @param kind          pose or detector
 * @param inputHeight   fixed input height in pixels
 * @param inputWidth    fixed input width in pixels
 * @param heatmapStride input pixels per heatmap cell (pose models with heatmap output; 0 for detectors and for
 *                      pose models that output keypoints)
 * @param keypoints     keypoint names in heatmap channel order (pose models; empty for detectors)
 * @param flipPairs     left/right channel pairs for the flip test (pose models)
 * @param maxBatch      largest batch the graph accepts; 0 means any
 * @param normalization how pixels are normalised inside the graph, in words
 * @param source        where the weights came from (checkpoint file, npm package and version, or random init)
 * @param pretrained    false for random weights: such a model finds nothing and says so
 * @param poseOutput    what a pose model outputs; absent in assets written before keypoint output existed, which
 *                      means heatmaps; null for detectors
 * @param conversion    the revision of the converter that made the model from another format (e.g.
 *                      {@code tfjs-2}), so {@code model prepare} can tell a model made by an older posestream; null
 *                      for models not converted (HRNet is built, not converted)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
        String name,
        ModelKind kind,
        int inputHeight,
        int inputWidth,
        int heatmapStride,
        List<String> keypoints,
        List<List<Integer>> flipPairs,
        int maxBatch,
        String normalization,
        String source,
        boolean pretrained,
        PoseOutput poseOutput,
        String conversion) {

    /** The asset file's path relative to the SavedModel directory. */
    public static final String ASSET = "assets/posestream-model.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelMetadata {
        keypoints = keypoints == null ? List.of() : List.copyOf(keypoints);
        flipPairs = flipPairs == null ? List.of() : List.copyOf(flipPairs);
        if (kind == ModelKind.POSE && poseOutput == null) {
            poseOutput = PoseOutput.HEATMAPS; // what every pose model was before keypoint output existed
        }
    }

    /** Metadata of a model that outputs heatmaps (pose) or boxes (detector) and was not converted. */
    public ModelMetadata(
            String name,
            ModelKind kind,
            int inputHeight,
            int inputWidth,
            int heatmapStride,
            List<String> keypoints,
            List<List<Integer>> flipPairs,
            int maxBatch,
            String normalization,
            String source,
            boolean pretrained) {
        this(
                name,
                kind,
                inputHeight,
                inputWidth,
                heatmapStride,
                keypoints,
                flipPairs,
                maxBatch,
                normalization,
                source,
                pretrained,
                null,
                null);
    }

    /** Reads the metadata asset of the SavedModel in {@code modelDir}. */
    public static ModelMetadata read(Path modelDir) {
        Path file = modelDir.resolve(ASSET);
        if (!Files.isRegularFile(file)) {
            throw new ModelException("Model " + modelDir + " has no metadata asset " + ASSET
                    + "; it was not exported by posestream (export it with `posestream model ...`)");
        }
        try {
            ModelMetadata metadata = JSON.readValue(file.toFile(), ModelMetadata.class);
            if (metadata.kind() == null || metadata.inputHeight() <= 0 || metadata.inputWidth() <= 0) {
                throw new ModelException("Model metadata " + file + " lacks kind or input size");
            }
            return metadata;
        } catch (IOException e) {
            throw new ModelException("Model metadata " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Writes this metadata as the asset of the SavedModel in {@code modelDir}. */
    public void write(Path modelDir) throws IOException {
        Path file = modelDir.resolve(ASSET);
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), this);
    }

    /** The metadata as the JSON text stored in the asset. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
