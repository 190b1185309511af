package io.posestream.app.model;

import picocli.CommandLine.Command;

/** Model tools: prepare the demo models, export HRNet, describe a SavedModel. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Prepare, export and inspect the TensorFlow SavedModels posestream serves.",
        subcommands = {PrepareCommand.class, ExportHrnetCommand.class, InfoCommand.class})
public final class ModelCommand {}
