package io.posestream.models.hrnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.models.info.ModelInfo;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The Java HRNet against a PyTorch reference: both checkpoint formats are imported, exported as a SavedModel,
 * reloaded through {@link LoadedModel} and run on the input PyTorch ran; the heatmaps must agree to 1e-4.
 */
class HrnetGoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final InputSize INPUT = new InputSize(256, 192);

    @TempDir
    Path tmp;

    @Test
    void zipCheckpointExportsToTheSameHeatmapsAsPytorch() throws Exception {
        assertMatchesPytorch(TorchReference.golden().resolve("checkpoint-zip.pth"));
    }

    @Test
    void legacyCheckpointWithModulePrefixExportsToTheSameHeatmapsAsPytorch() throws Exception {
        assertMatchesPytorch(TorchReference.golden().resolve("checkpoint-legacy.pth"));
    }

    private void assertMatchesPytorch(Path checkpoint) throws Exception {
        Path golden = TorchReference.golden();
        Path out = tmp.resolve("model");
        HrnetExporter.export(HrnetArch.W32, INPUT, checkpoint, 0, out, SessionSettings.DEFAULTS);

        float[] input = TorchReference.readFloats(golden.resolve("input.f32"));
        float[] expected = TorchReference.readFloats(golden.resolve("heatmaps.f32"));
        int batch = input.length / (INPUT.height() * INPUT.width() * 3);
        try (LoadedModel model = LoadedModel.load(out, ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 image = TFloat32.tensorOf(
                        Shape.of(batch, INPUT.height(), INPUT.width(), 3), DataBuffers.of(input, true, false));
                Result result = model.call(Map.of("image", image))) {
            assertThat(model.metadata().pretrained()).isTrue();
            assertThat(model.metadata().source())
                    .contains(checkpoint.getFileName().toString());
            TFloat32 heatmaps = (TFloat32) result.get("heatmaps").orElseThrow();
            assertThat(heatmaps.shape().asArray()).containsExactly(batch, 64, 48, 17);
            float[] actual = new float[expected.length];
            heatmaps.asRawTensor().data().asFloats().read(actual);
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
                maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
            }
            System.out.printf(
                    "%s: max |java - torch| = %.3g over heatmaps up to %.3f%n",
                    checkpoint.getFileName(), maxDiff, maxAbs);
            assertThat(maxAbs).as("reference heatmaps are not trivially small").isGreaterThan(1.0);
            assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
        }

        long torchParams = TorchReference.readLong(golden.resolve("params.txt"));
        ModelInfo info = ModelInfo.ofSavedModel(out);
        assertThat(info.parameters()).isEqualTo(torchParams);
        ModelInfo built = ModelInfo.ofHrnet(HrnetArch.W32, INPUT);
        assertThat(info.macs()).isEqualTo(built.macs());
        assertThat(info.tensors()).containsExactlyInAnyOrderElementsOf(built.tensors());
        List<String> lines = info.lines(false);
        assertThat(lines)
                .contains(
                        "params: " + torchParams,
                        "  input image: float32 [-1, 256, 192, 3]",
                        "  output heatmaps: float32 [-1, 64, 48, 17]");
    }
}
