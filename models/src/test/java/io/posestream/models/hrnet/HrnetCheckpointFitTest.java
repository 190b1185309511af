package io.posestream.models.hrnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.models.torch.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that do not fit are refused with exactly what is wrong, and leave no model behind. */
class HrnetCheckpointFitTest {
    private static final InputSize INPUT = new InputSize(256, 192);

    @TempDir
    Path tmp;

    private void assertRefused(HrnetArch arch, Path checkpoint, String... expected) throws IOException {
        Path out = tmp.resolve("model-" + checkpoint.getFileName());
        assertThatThrownBy(() -> HrnetExporter.export(arch, INPUT, checkpoint, 0, out, SessionSettings.DEFAULTS))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(checkpoint.toString())
                .hasMessageContaining("no model was written")
                .hasMessageContainingAll(expected);
        assertThat(out).doesNotExist();
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("partial"));
        }
    }

    @Test
    void missingKeysAreListed() throws IOException {
        assertRefused(
                HrnetArch.W32,
                TorchReference.golden().resolve("bad-missing.pth"),
                "missing keys (2):\n    stage4.2.fuse_layers.0.3.0.weight\n    final_layer.bias");
    }

    @Test
    void unexpectedKeysAreListed() throws IOException {
        assertRefused(
                HrnetArch.W32,
                TorchReference.golden().resolve("bad-unexpected.pth"),
                "unexpected keys (1):\n    head.extra.weight");
    }

    @Test
    void wrongShapesAreListedWithFoundAndExpected() throws IOException {
        assertRefused(
                HrnetArch.W32,
                TorchReference.golden().resolve("bad-shape.pth"),
                "wrong shapes (2):\n    final_layer.weight is [16, 32, 1, 1], expected [17, 32, 1, 1]\n"
                        + "    final_layer.bias is [16], expected [17]");
    }

    @Test
    void aCheckpointOfTheOtherWidthNamesBothWidths() throws IOException {
        assertRefused(
                HrnetArch.W48,
                TorchReference.golden().resolve("checkpoint-zip.pth"),
                "wrong width: the checkpoint is an HRNet-W32",
                "hrnet-w48 has width 48",
                "use --arch hrnet-w32",
                "wrong shapes (1386):",
                "... and 1366 more");
    }

    @Test
    void aFileThatIsNotACheckpointWritesNothing() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pth"), "not a checkpoint");
        Path out = tmp.resolve("model");
        assertThatThrownBy(() -> HrnetExporter.export(HrnetArch.W32, INPUT, text, 0, out, SessionSettings.DEFAULTS))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a PyTorch checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void withoutACheckpointTheModelSaysItIsRandom() throws IOException {
        Path out = tmp.resolve("random");
        ModelMetadata metadata = HrnetExporter.export(HrnetArch.W32, INPUT, null, 42, out, SessionSettings.DEFAULTS);
        assertThat(metadata.pretrained()).isFalse();
        assertThat(metadata.source()).contains("seed 42").contains("NOT PRETRAINED");
        ModelMetadata stored = ModelMetadata.read(out);
        assertThat(stored).isEqualTo(metadata);
        assertThat(stored.name()).isEqualTo("hrnet-w32-256x192");
        assertThat(stored.heatmapStride()).isEqualTo(4);
        assertThat(stored.keypoints()).hasSize(17).startsWith("nose");
    }
}
