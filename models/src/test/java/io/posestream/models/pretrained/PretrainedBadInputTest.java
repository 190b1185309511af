package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.ModelsDir;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelException;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SessionSettings;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepared models used the wrong way are refused with a message naming the model and what is wrong. */
class PretrainedBadInputTest {

    @Test
    void theDetectorLoadedAsAPoseModelIsRefused() {
        Path dir = PreparedModels.centernet();
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("is a detector model, expected a pose model");
    }

    @Test
    void aSignatureThatDoesNotMatchItsMetadataNamesExpectedAndFound(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("movenet-stride8");
        FileUtils.copyDirectory(PreparedModels.movenet().toFile(), dir.toFile());
        ModelMetadata m = ModelMetadata.read(dir);
        // The real MoveNet graph, described as a stride-8 model: its 64x64 heatmaps no longer fit the contract.
        new ModelMetadata(
                        m.name(),
                        m.kind(),
                        m.inputHeight(),
                        m.inputWidth(),
                        8,
                        m.keypoints(),
                        m.flipPairs(),
                        m.maxBatch(),
                        m.normalization(),
                        m.source(),
                        m.pretrained())
                .write(dir);
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("heatmaps: expected shape [?, 32, 32, 17], found [-1, 64, 64, 17]");
    }

    @Test
    void aMissingModelsDirNamesThePathAndPrepare(@TempDir Path tmp) {
        Path models = ModelsDir.resolve(tmp.resolve("never-prepared"));
        Path dir = models.resolve(new MoveNetThunder().dirName());
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("posestream model prepare");
    }
}
