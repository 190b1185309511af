package io.posestream.app.model;

import io.posestream.models.hrnet.HrnetArch;
import io.posestream.models.hrnet.InputSize;
import io.posestream.models.info.ModelInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code posestream model info}: parameters, MACs, signature and metadata of an HRNet or a SavedModel. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Describe a model, one item per line: params (trainable parameters), macs (multiply-accumulates "
                    + "per crop), the serving signature and the metadata.",
            "Either an HRNet built in memory (--arch and --input) or the SavedModel in DIR."
        })
final class InfoCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false)
        Arch arch;

        @Parameters(paramLabel = "DIR", description = "A SavedModel directory written by posestream.")
        Path dir;
    }

    static final class Arch {
        @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "hrnet-w32 or hrnet-w48.")
        String arch;

        @Option(names = "--input", required = true, paramLabel = "HxW", description = "256x192 or 384x288.")
        String input;
    }

    @Option(names = "--tensors", description = "Also list every weight's name and shape.")
    boolean tensors;

    @Override
    public Integer call() {
        ModelInfo info = target.dir != null
                ? ModelInfo.ofSavedModel(target.dir)
                : ModelInfo.ofHrnet(HrnetArch.parse(target.arch.arch), InputSize.parse(target.arch.input));
        info.lines(tensors).forEach(System.out::println);
        return 0;
    }
}
