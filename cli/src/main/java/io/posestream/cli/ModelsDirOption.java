package io.posestream.cli;

import io.posestream.models.ModelsDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --models-dir}: where {@code posestream model prepare} puts the pretrained models, for every command. */
public final class ModelsDirOption {
    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Models directory (default: $" + ModelsDir.ENV + ", else ~/.posestream/models).")
    Path modelsDir;

    /** The directory: the flag, else the environment variable, else the per-user default. */
    public Path resolve() {
        return ModelsDir.resolve(modelsDir);
    }
}
