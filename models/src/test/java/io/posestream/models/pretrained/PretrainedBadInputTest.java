package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.ModelsDir;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelException;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.PoseOutput;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.schemas.CocoKeypoints;
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

    /** A copy of the prepared MoveNet whose metadata claims these keypoints, heatmap stride and output. */
    private static Path movenetDescribedAs(Path dir, java.util.List<String> keypoints, int stride, PoseOutput output)
            throws Exception {
        FileUtils.copyDirectory(PreparedModels.movenet().toFile(), dir.toFile());
        ModelMetadata m = ModelMetadata.read(dir);
        new ModelMetadata(
                        m.name(),
                        m.kind(),
                        m.inputHeight(),
                        m.inputWidth(),
                        stride,
                        keypoints,
                        m.flipPairs(),
                        m.maxBatch(),
                        m.normalization(),
                        m.source(),
                        m.pretrained(),
                        output,
                        m.conversion())
                .write(dir);
        return dir;
    }

    @Test
    void aSignatureThatDoesNotMatchItsMetadataNamesExpectedAndFound(@TempDir Path tmp) throws Exception {
        // The real MoveNet graph, described as a 13-keypoint model: its 17 keypoints no longer fit the contract.
        Path dir = movenetDescribedAs(
                tmp.resolve("movenet-13-keypoints"), CocoKeypoints.NAMES.subList(0, 13), 0, PoseOutput.KEYPOINTS);
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("keypoints: expected shape [?, 13, 3], found [-1, 17, 3]");
    }

    @Test
    void aKeypointModelDescribedAsAHeatmapModelIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = movenetDescribedAs(tmp.resolve("movenet-as-heatmaps"), CocoKeypoints.NAMES, 4, PoseOutput.HEATMAPS);
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("outputs: expected [heatmaps], found [keypoints]");
    }

    @Test
    void aMissingModelsDirNamesThePathAndPrepare(@TempDir Path tmp) {
        Path models = ModelsDir.resolve(tmp.resolve("never-prepared"));
        Path dir = models.resolve(MoveNet.THUNDER.dirName());
        assertThatThrownBy(() -> LoadedModel.load(dir, ModelKind.POSE, SessionSettings.DEFAULTS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("posestream model prepare");
    }
}
