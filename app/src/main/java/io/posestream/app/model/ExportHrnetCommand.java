package io.posestream.app.model;

import io.posestream.models.hrnet.HrnetArch;
import io.posestream.models.hrnet.HrnetExporter;
import io.posestream.models.hrnet.InputSize;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SessionSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code posestream model export-hrnet}: HRNet built in TensorFlow Java, from an official checkpoint or random. */
@Command(
        name = "export-hrnet",
        mixinStandardHelpOptions = true,
        description = {
            "Build the HRNet pose network of the official deep-high-resolution-net.pytorch code in "
                    + "TensorFlow and export it as a pose SavedModel (serving_default: image float32 [N,H,W,3] RGB 0..255 "
                    + "-> heatmaps float32 [N,H/4,W/4,17]) with its metadata asset.",
            "With --checkpoint, the weights come from an official-format PyTorch state_dict (.pth, zip or legacy "
                    + "format); a checkpoint that does not fit is refused, listing what is wrong, and nothing is written. "
                    + "Without it the weights are a seeded random init: the model runs but finds nothing, and says so."
        })
final class ExportHrnetCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "hrnet-w32 or hrnet-w48.")
    String arch;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "HxW",
            description = "Input size: 256x192 or 384x288 (any multiples of 32 work).")
    String input;

    @Option(names = "--checkpoint", paramLabel = "FILE.pth", description = "Official-format PyTorch checkpoint.")
    Path checkpoint;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the random init without --checkpoint " + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "SavedModel directory to write " + "(replaced only once the new model is complete).")
    Path out;

    @Override
    public Integer call() throws Exception {
        HrnetArch a = HrnetArch.parse(arch);
        InputSize size = InputSize.parse(input);
        ModelMetadata metadata = HrnetExporter.export(a, size, checkpoint, seed, out, SessionSettings.DEFAULTS);
        System.out.println(
                "Wrote " + metadata.name() + " to " + out.toAbsolutePath().normalize()
                        + (metadata.pretrained()
                                ? " (weights: " + metadata.source() + ")"
                                : " with RANDOM weights (seed " + seed + "): not pretrained, heatmaps mean nothing"));
        return 0;
    }
}
