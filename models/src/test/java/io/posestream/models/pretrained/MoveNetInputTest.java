package io.posestream.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.models.tfjs.TfjsConverter;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/** MoveNet-Thunder's network converted for a smaller input (what `bench small-persons` compares). */
class MoveNetInputTest {

    @Test
    void thunderAt128PosesThePlayerWhereThunderAt256Does(@TempDir Path tmp) throws Exception {
        MoveNet small = MoveNet.THUNDER.atInput(128);
        assertThat(small.dirName()).isEqualTo("movenet-thunder-128");
        Path dir = tmp.resolve(small.dirName());
        TfjsConverter.convert(
                PreparedModels.originals().resolve(small.packagePath()), small, small.metadata("test"), dir);

        BufferedImage image = TestImages.read(TestImages.MESSI);
        float[] big = keypoints(PreparedModels.movenet(), image, 256);
        float[] little = keypoints(dir, image, 128);

        assertThat(little).hasSize(17 * 3);
        // Same crop of the photo: in units of each input, the confident keypoints land near each other.
        int close = 0;
        for (int k = 0; k < 17; k++) {
            double dx = big[3 * k] / 256 - little[3 * k] / 128;
            double dy = big[3 * k + 1] / 256 - little[3 * k + 1] / 128;
            close += Math.hypot(dx, dy) < 0.05 ? 1 : 0;
        }
        assertThat(close).as("keypoints within 5% of the crop of Thunder-256's").isGreaterThanOrEqualTo(12);
    }

    @Test
    void anInputThatIsNotAMultipleOf64IsRefused() {
        assertThatThrownBy(() -> MoveNet.THUNDER.atInput(224))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 64");
        assertThat(MoveNet.THUNDER.atInput(256)).isSameAs(MoveNet.THUNDER);
    }

    private static float[] keypoints(Path model, BufferedImage image, int size) {
        try (LoadedModel loaded = LoadedModel.load(model, ModelKind.POSE, SessionSettings.DEFAULTS);
                TFloat32 input = TestImages.tensor(
                        TestImages.rgb(TestImages.crop(image, 150, 20, 300, 300, size)), 1, size, size);
                Result result = loaded.call(Map.of(ModelContract.INPUT, input))) {
            return TestImages.values(
                    (TFloat32) result.get(ModelContract.KEYPOINTS).orElseThrow());
        }
    }
}
