package io.posestream.models.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.hrnet.HrnetArch;
import io.posestream.models.hrnet.InputSize;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code posestream model info --arch ... --input ...} prints. */
class ModelInfoTest {

    @Test
    void hrnetInfoPrintsCountsSignatureAndMetadataOnePerLine() {
        List<String> lines =
                ModelInfo.ofHrnet(HrnetArch.W32, new InputSize(384, 288)).lines(false);
        assertThat(lines.get(0)).isEqualTo("params: 28536113");
        assertThat(lines.get(1)).isEqualTo("macs: 17201258496");
        assertThat(lines.subList(2, 5))
                .containsExactly(
                        "signature: serving_default",
                        "  input image: float32 [-1, 384, 288, 3]",
                        "  output heatmaps: float32 [-1, 96, 72, 17]");
        assertThat(lines.get(5))
                .startsWith("metadata: {")
                .contains("\"name\" : \"hrnet-w32-384x288\"")
                .contains("\"heatmapStride\" : 4")
                .contains("\"pretrained\" : false")
                .doesNotContain("\n");
        assertThat(lines).noneMatch(l -> l.startsWith("tensors:"));
    }

    @Test
    void tensorsOptionListsEveryWeightWithItsOfficialShape() {
        List<String> lines =
                ModelInfo.ofHrnet(HrnetArch.W48, new InputSize(256, 192)).lines(true);
        assertThat(lines)
                .contains(
                        "params: 63595745",
                        "tensors: 1462",
                        "  conv1.weight [64, 3, 3, 3]",
                        "  stage2.0.fuse_layers.0.1.0.weight [48, 96, 1, 1]",
                        "  final_layer.bias [17]");
        assertThat(lines.stream().filter(l -> l.startsWith("  ") && l.contains(".weight [")))
                .hasSizeGreaterThan(500);
    }

    @Test
    void aMissingDirectoryNamesThePathAndTheCommandsThatCreateIt() {
        Path missing = Path.of("target", "no-such-model");
        assertThatThrownBy(() -> ModelInfo.ofSavedModel(missing))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("export-hrnet")
                .hasMessageContaining("model prepare");
    }
}
