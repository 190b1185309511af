package io.posestream.models.hrnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.info.GraphStats;
import io.posestream.models.savedmodel.SessionSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The weight table and counts against the PyTorch reference, and the official names and shapes. */
class HrnetSpecTest {

    @Test
    void parameterAndMacCountsEqualPytorchForBothWidthsAndSizes() {
        for (HrnetArch arch : HrnetArch.values()) {
            for (InputSize input : List.of(new InputSize(256, 192), new InputSize(384, 288))) {
                HrnetSpec spec = HrnetSpec.of(arch, input);
                long[] torch = TorchReference.counts(arch, input);
                assertThat(spec.parameters())
                        .as(arch + " " + input + " parameters")
                        .isEqualTo(torch[0]);
                assertThat(spec.macs()).as(arch + " " + input + " MACs").isEqualTo(torch[1]);
            }
        }
        // The paper's numbers: 28.5M and 63.6M parameters.
        assertThat(HrnetSpec.of(HrnetArch.W32, new InputSize(256, 192)).parameters())
                .isEqualTo(28_536_113L);
        assertThat(HrnetSpec.of(HrnetArch.W48, new InputSize(256, 192)).parameters())
                .isEqualTo(63_595_745L);
    }

    @Test
    void tensorsHaveTheOfficialStateDictNamesAndShapes() {
        Map<String, StateDictTensor> w =
                HrnetSpec.of(HrnetArch.W32, new InputSize(256, 192)).byName();
        assertThat(w.get("conv1.weight").shape()).containsExactly(64, 3, 3, 3);
        assertThat(w.get("layer1.0.downsample.0.weight").shape()).containsExactly(256, 64, 1, 1);
        assertThat(w).doesNotContainKey("layer1.1.downsample.0.weight");
        assertThat(w.get("transition1.0.0.weight").shape()).containsExactly(32, 256, 3, 3);
        assertThat(w.get("transition1.1.0.0.weight").shape()).containsExactly(64, 256, 3, 3);
        assertThat(w.get("transition2.2.0.0.weight").shape()).containsExactly(128, 64, 3, 3);
        assertThat(w.get("transition3.3.0.0.weight").shape()).containsExactly(256, 128, 3, 3);
        assertThat(w.get("stage2.0.fuse_layers.0.1.0.weight").shape()).containsExactly(32, 64, 1, 1);
        assertThat(w.get("stage2.0.fuse_layers.1.0.0.0.weight").shape()).containsExactly(64, 32, 3, 3);
        // Two halvings from branch 0 to branch 2: the first keeps C0 channels and has a ReLU, the last goes to C2.
        assertThat(w.get("stage3.0.fuse_layers.2.0.0.0.weight").shape()).containsExactly(32, 32, 3, 3);
        assertThat(w.get("stage3.0.fuse_layers.2.0.1.0.weight").shape()).containsExactly(128, 32, 3, 3);
        assertThat(w.get("stage3.3.branches.2.3.conv2.weight").shape()).containsExactly(128, 128, 3, 3);
        assertThat(w.get("stage4.2.branches.3.3.bn2.running_var").shape()).containsExactly(256);
        // The last module of stage 4 only fuses into the highest-resolution branch.
        assertThat(w).containsKey("stage4.1.fuse_layers.3.0.2.0.weight");
        assertThat(w.keySet()).noneMatch(k -> k.startsWith("stage4.2.fuse_layers.1."));
        assertThat(w.get("stage4.2.fuse_layers.0.3.0.weight").shape()).containsExactly(32, 256, 1, 1);
        assertThat(w.get("final_layer.weight").shape()).containsExactly(17, 32, 1, 1);
        assertThat(w.get("final_layer.bias").shape()).containsExactly(17);
        assertThat(w.keySet()).noneMatch(k -> k.contains("num_batches_tracked"));
        assertThat(w).hasSize(1462);
    }

    @Test
    void theGraphsConvolutionsCountTheSameMacsAsTheTable() {
        HrnetSpec spec = HrnetSpec.of(HrnetArch.W32, new InputSize(384, 288));
        try (HrnetGraph graph = HrnetGraph.build(spec, SessionSettings.DEFAULTS)) {
            assertThat(GraphStats.macs(graph.graph())).isEqualTo(spec.macs());
            assertThat(GraphStats.weights(graph.graph())).hasSize(spec.weights().size());
            assertThat(graph.signature().getOutputs().get("heatmaps").shape.asArray())
                    .containsExactly(-1, 96, 72, 17);
        }
    }

    @Test
    void badArchAndSizeNamesAreRefused() {
        assertThatThrownBy(() -> HrnetArch.parse("hrnet-w40"))
                .hasMessageContaining("hrnet-w40")
                .hasMessageContaining("hrnet-w32, hrnet-w48");
        assertThatThrownBy(() -> InputSize.parse("256by192")).hasMessageContaining("256by192");
        assertThatThrownBy(() -> InputSize.parse("250x192")).hasMessageContaining("multiples of 32");
        assertThat(InputSize.parse("384x288")).isEqualTo(new InputSize(384, 288));
    }
}
