package io.posestream.cli;

import io.posestream.schemas.Topics;
import picocli.CommandLine.Option;

/** {@code --partitions}: partitions of the pipeline topics a command creates when they are missing. */
public final class PartitionsOption {
    @Option(
            names = "--partitions",
            description = "Partitions of each pipeline topic this command creates when it is missing; dead-letter "
                    + "topics get 1 (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Topics.DEFAULT_PARTITIONS)
    int partitions;

    public int partitions() {
        return partitions;
    }
}
