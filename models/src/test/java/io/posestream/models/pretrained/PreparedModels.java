package io.posestream.models.pretrained;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The pretrained models as {@code model prepare} makes them, prepared once per test JVM into
 * {@code target/prepared-models} (the npm tarball itself comes from npm's per-machine cache after the first time).
 */
final class PreparedModels {
    static final Path DIR = Path.of("target", "prepared-models").toAbsolutePath();
    private static ModelPreparer.Outcome first;

    private PreparedModels() {}

    /** Prepares (once) and returns the models dir. */
    static synchronized Path dir() {
        if (first == null) {
            try {
                first = new ModelPreparer(DIR, HumanModelsPackage.fromPath()).prepare();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return DIR;
    }

    static Path movenet() {
        return dir().resolve("movenet-thunder");
    }

    static Path lightning() {
        return dir().resolve("movenet-lightning");
    }

    static Path centernet() {
        return dir().resolve("centernet");
    }

    /** The unpacked npm package, holding the original TFJS models. */
    static Path originals() {
        return dir().resolve(ModelPreparer.CACHE_DIR).resolve("human-models-" + HumanModelsPackage.VERSION);
    }
}
