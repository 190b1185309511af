package io.posestream.bench;

import io.posestream.cli.ModelsDirOption;
import io.posestream.faults.LoopbackPipeline;
import io.posestream.faults.PosestreamLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a benchmark that runs the pipeline as separate processes keeps their data and console logs, how fast ingest
 * samples the cameras, and which models the worker loads: shared by {@code bench faults} and {@code bench soak}.
 */
final class LoopbackOptions {
    @Option(
            names = "--work-dir",
            description = "Data and console logs of every process (default: a new temporary directory, kept).")
    Path workDir;

    @Option(
            names = "--fps",
            defaultValue = "2",
            description = "Frames per second ingest takes from each camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Mixin
    ModelsDirOption modelsDir;

    /**
     * The pipeline's options, the processes started the way this JVM was ({@code posestream}'s jar); prints the
     * machine, the load average and the work directory first.
     */
    LoopbackPipeline.Options pipeline(
            String name, int cameras, int trackers, Map<String, List<String>> settings, boolean fixedHeaps)
            throws IOException {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("posestream-" + name + "-");
        System.out.println("Machine: " + MachineInfo.describe());
        System.out.println("Load average at start (1/5/15 min): " + MachineInfo.loadAverage());
        System.out.println("Work dir (console logs under logs/): " + dir);
        System.out.flush();
        return new LoopbackPipeline.Options(
                dir,
                modelsDir.resolve(),
                cameras,
                fps,
                trackers,
                PosestreamLauncher.fromCurrentJvm(),
                settings,
                fixedHeaps);
    }
}
