package io.posestream.models.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.Float16;
import io.posestream.models.hrnet.TorchReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both torch.save formats, views with offsets and strides, and files that are not (whole) checkpoints. */
class TorchCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void zipAndLegacyFormatsYieldTheSameTensors() {
        Map<String, TorchTensor> zip =
                TorchCheckpoint.readStateDict(TorchReference.golden().resolve("checkpoint-zip.pth"));
        Map<String, TorchTensor> legacy =
                TorchCheckpoint.readStateDict(TorchReference.golden().resolve("checkpoint-legacy.pth"));
        // module. is stripped from the legacy file's keys and num_batches_tracked is dropped from both.
        assertThat(legacy.keySet()).containsExactlyElementsOf(zip.keySet());
        assertThat(zip).hasSize(1462).containsKey("stage2.0.fuse_layers.0.1.0.weight");
        assertThat(zip.keySet()).noneMatch(k -> k.startsWith("module.") || k.endsWith("num_batches_tracked"));
        for (String name : zip.keySet()) {
            assertThat(legacy.get(name).shape())
                    .as(name)
                    .containsExactly(zip.get(name).shape());
            assertThat(Arrays.equals(
                            legacy.get(name).toFloatArray(name), zip.get(name).toFloatArray(name)))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void viewsWithOffsetsStridesAndSharedStoragesAreGathered() {
        Map<String, TorchTensor> zip =
                TorchCheckpoint.readStateDict(TorchReference.golden().resolve("checkpoint-zip.pth"));
        // The reference stores final_layer.weight as a transposed view at offset 5*17 of a zero-padded storage,
        // and bn1's running mean and variance as two slices of one storage after three zeros.
        TorchTensor w = zip.get("final_layer.weight");
        assertThat(w.shape()).containsExactly(17, 32, 1, 1);
        float[] values = w.toFloatArray("final_layer.weight");
        assertThat(values).hasSize(17 * 32).doesNotContain(0f);
        float[] mean = zip.get("bn1.running_mean").toFloatArray("bn1.running_mean");
        float[] var = zip.get("bn1.running_var").toFloatArray("bn1.running_var");
        assertThat(mean).hasSize(64).doesNotContain(0f);
        assertThat(var).hasSize(64);
        for (float v : var) {
            assertThat(v).isBetween(0.5f, 2.0f); // the reference draws variances from [0.5, 2]
        }
    }

    @Test
    void truncatedFilesAreRefusedNamingTheFile() throws IOException {
        for (String name : new String[] {"checkpoint-zip.pth", "checkpoint-legacy.pth"}) {
            byte[] whole = Files.readAllBytes(TorchReference.golden().resolve(name));
            Path cut = tmp.resolve("cut-" + name);
            Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
            assertThatThrownBy(() -> TorchCheckpoint.readStateDict(cut))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageContaining("truncated");
        }
        // Cut inside the legacy file's pickle, before any storage.
        Path head = tmp.resolve("head.pth");
        Files.write(
                head,
                Arrays.copyOf(Files.readAllBytes(TorchReference.golden().resolve("checkpoint-legacy.pth")), 2000));
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(head)).hasMessageContaining("truncated");
    }

    @Test
    void filesThatAreNotCheckpointsAreRefused() throws IOException {
        Path text = Files.writeString(tmp.resolve("weights.pth"), "these are not weights\n");
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(text))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not a PyTorch checkpoint");
        Path empty = Files.createFile(tmp.resolve("empty.pth"));
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(empty)).hasMessageContaining("the file is empty");
        Path zip = tmp.resolve("other.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes());
        }
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(zip)).hasMessageContaining("without a data.pkl");
        // A pickle, but not torch's: protocol 2 pickle of the int 7.
        Path pickle = Files.write(tmp.resolve("seven.pkl"), new byte[] {(byte) 0x80, 2, 'K', 7, '.'});
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(pickle)).hasMessageContaining("no torch.save magic");
        Path missing = tmp.resolve("nowhere.pth");
        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(missing))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void halfPrecisionDecodes() {
        assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
    }
}
