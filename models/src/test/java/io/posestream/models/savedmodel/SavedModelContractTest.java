package io.posestream.models.savedmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.schemas.CocoKeypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Export, reload and contract checks on a tiny real SavedModel (average pooling then a 1x1 conv). */
class SavedModelContractTest {
    private static final int SIZE = 8;
    private static final int STRIDE = 4;
    private static final int K = CocoKeypoints.COUNT;

    @TempDir
    Path tmp;

    private static ModelMetadata poseMetadata(int stride) {
        return new ModelMetadata(
                "tiny-pose",
                ModelKind.POSE,
                SIZE,
                SIZE,
                stride,
                CocoKeypoints.NAMES,
                CocoKeypoints.FLIP_PAIRS,
                0,
                "none",
                "test graph",
                true);
    }

    /** Heatmap channel k = (k + 1) x the mean of the RGB average over each 4x4 cell. */
    private static float[] filter() {
        float[] w = new float[3 * K];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < K; k++) {
                w[c * K + k] = (k + 1) / 3f;
            }
        }
        return w;
    }

    private static void exportTiny(Path dir, String outputName, ModelMetadata metadata, boolean checked)
            throws Exception {
        try (Graph graph = new Graph();
                Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> image =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIZE, SIZE, 3)));
            Operand<TFloat32> pooled = tf.nn.avgPool(image, List.of(1L, 4L, 4L, 1L), List.of(1L, 4L, 4L, 1L), "VALID");
            Operand<TFloat32> heatmaps = tf.nn.conv2d(
                    pooled,
                    tf.constant(Shape.of(1, 1, 3, K), DataBuffers.of(filter())),
                    List.of(1L, 1L, 1L, 1L),
                    "VALID");
            Signature signature = Signature.builder()
                    .key(ModelContract.SIGNATURE_KEY)
                    .input(ModelContract.INPUT, image)
                    .output(outputName, heatmaps)
                    .build();
            if (checked) {
                SavedModelWriter.write(session, signature, metadata, dir);
            } else {
                SavedModelBundle.exporter(dir.toString())
                        .withFunction(SessionFunction.create(signature, session))
                        .export();
                metadata.write(dir);
            }
        }
    }

    @Test
    void exportedModelReloadsWithItsMetadataAndComputesTheGraph() throws Exception {
        Path dir = tmp.resolve("tiny");
        exportTiny(dir, ModelContract.HEATMAPS, poseMetadata(STRIDE), true);

        try (LoadedModel model = LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS)) {
            assertThat(model.metadata()).isEqualTo(poseMetadata(STRIDE));
            float[] pixels = new float[2 * SIZE * SIZE * 3];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = i % 255;
            }
            try (TFloat32 input = TFloat32.tensorOf(Shape.of(2, SIZE, SIZE, 3), DataBuffers.of(pixels));
                    Result result = model.call(Map.of(ModelContract.INPUT, input))) {
                TFloat32 out = (TFloat32) result.get(ModelContract.HEATMAPS).orElseThrow();
                assertThat(out.shape()).isEqualTo(Shape.of(2, SIZE / STRIDE, SIZE / STRIDE, K));
                // Check one cell by hand: image 1, cell (1, 0), channel 4.
                double sum = 0;
                for (int y = 4; y < 8; y++) {
                    for (int x = 0; x < 4; x++) {
                        for (int c = 0; c < 3; c++) {
                            sum += pixels[((1 * SIZE + y) * SIZE + x) * 3 + c];
                        }
                    }
                }
                double expected = sum / 16.0 * (4 + 1) / 3.0;
                assertThat((double) out.getFloat(1, 1, 0, 4))
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    @Test
    void exportRefusesAMetadataThatDoesNotMatchTheGraphAndWritesNothing() {
        Path dir = tmp.resolve("refused");
        assertThatThrownBy(() -> exportTiny(dir, ModelContract.HEATMAPS, poseMetadata(2), true))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("heatmaps: expected shape [?, 4, 4, 17], found [-1, 2, 2, 17]");
        assertThat(dir).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void loadRefusesAWrongSignatureNamingExpectedAndFound() throws Exception {
        Path dir = tmp.resolve("wrong-output");
        exportTiny(dir, "logits", poseMetadata(STRIDE), false);
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("outputs: expected [heatmaps], found [logits]");
    }

    @Test
    void loadRefusesAPoseModelWhereADetectorIsExpected() throws Exception {
        Path dir = tmp.resolve("pose");
        exportTiny(dir, ModelContract.HEATMAPS, poseMetadata(STRIDE), true);
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.DETECTOR, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("is a pose model, expected a detector model");
    }

    @Test
    void missingDirectoryNamesThePathAndTheCommandThatCreatesIt() {
        Path dir = tmp.resolve("nowhere/movenet-thunder");
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("posestream model prepare");
    }

    @Test
    void aDirectoryWithoutSavedModelOrMetadataIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .hasMessageContaining("holds no saved_model.pb");
        Files.writeString(dir.resolve("saved_model.pb"), "x");
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .hasMessageContaining("has no metadata asset " + ModelMetadata.ASSET);
    }

    @Test
    void aMetadataAssetWrittenBeforeKeypointOutputExistedReadsAsAHeatmapModel() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("old"));
        Files.createDirectories(dir.resolve("assets"));
        // An HRNet asset as earlier posestream versions wrote it: no poseOutput, no conversion.
        Files.writeString(dir.resolve(ModelMetadata.ASSET), """
                {"name": "hrnet-w32-256x192", "kind": "POSE", "inputHeight": 256, "inputWidth": 192,
                 "heatmapStride": 4, "keypoints": %s, "maxBatch": 0, "source": "x", "pretrained": true}
                """.formatted(
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(CocoKeypoints.NAMES)));
        ModelMetadata read = ModelMetadata.read(dir);
        assertThat(read.poseOutput()).isEqualTo(PoseOutput.HEATMAPS);
        assertThat(read.conversion()).isNull();
    }
}
