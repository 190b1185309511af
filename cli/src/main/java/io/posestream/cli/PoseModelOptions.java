package io.posestream.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The two models of a top-down pose pipeline: {@code --detector} and {@code --pose}, each defaulting to the pretrained
 * model in {@code --models-dir}.
 */
public final class PoseModelOptions {
    @Mixin
    ModelsDirOption modelsDir;

    @Option(
            names = "--detector",
            paramLabel = "DIR",
            description = "Person detector SavedModel (default: MODELS_DIR/centernet).")
    Path detector;

    @Option(
            names = "--pose",
            paramLabel = "DIR",
            description = "Pose SavedModel: MODELS_DIR/movenet-thunder (the default), MODELS_DIR/movenet-lightning "
                    + "(faster, less accurate) or an HRNet from `posestream model export-hrnet`.")
    Path pose;

    public Path modelsDir() {
        return modelsDir.resolve();
    }

    /** The detector directory given, or null for the pretrained one. */
    public Path detector() {
        return detector;
    }

    /** The pose model directory given, or null for the pretrained one. */
    public Path pose() {
        return pose;
    }

    /** True when both models were named, so nothing needs preparing. */
    public boolean bothGiven() {
        return detector != null && pose != null;
    }
}
