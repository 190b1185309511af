package io.posestream.models.savedmodel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * A SavedModel loaded for serving, checked against its contract: the one way posestream loads a model. Calls are
 * thread-safe (TensorFlow sessions are); close it to free the native memory.
 */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final Path dir;
    private final ModelMetadata metadata;
    private final SavedModelBundle bundle;
    private final SessionFunction function;

    private LoadedModel(Path dir, ModelMetadata metadata, SavedModelBundle bundle, SessionFunction function) {
        this.dir = dir;
        this.metadata = metadata;
        this.bundle = bundle;
        this.function = function;
    }

    /** Loads the SavedModel in {@code dir} as whatever kind its metadata says, checked against that kind's contract. */
    public static LoadedModel load(Path dir, SessionSettings settings) {
        return load(dir, null, settings);
    }

    /**
     * Loads the SavedModel in {@code dir} and checks that it is a {@code expected} model (null: either kind) meeting
     * the contract.
     *
     * @throws ModelException naming the directory and what is wrong: missing, not a SavedModel, wrong kind, or a
     *                        signature that does not match (expected versus found)
     */
    public static LoadedModel load(Path dir, ModelKind expected, SessionSettings settings) {
        if (!Files.isDirectory(dir)) {
            throw new ModelException("Model directory " + dir + " does not exist. Create it with "
                    + "`./posestream model prepare` (MoveNet and CenterNet from npm) or "
                    + "`./posestream model export-hrnet --out " + dir + "` (HRNet)");
        }
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new ModelException("Model directory " + dir + " holds no saved_model.pb: not a SavedModel");
        }
        ModelMetadata metadata = ModelMetadata.read(dir);
        if (expected != null && metadata.kind() != expected) {
            throw new ModelException(
                    "Model " + dir + " is a " + metadata.kind().name().toLowerCase() + " model, expected a "
                            + expected.name().toLowerCase() + " model");
        }
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString())
                    .withTags(SavedModelBundle.DEFAULT_TAG)
                    .withConfigProto(settings.toConfigProto())
                    .load();
        } catch (TensorFlowException e) {
            throw new ModelException("TensorFlow could not load the SavedModel in " + dir + ": " + e.getMessage(), e);
        }
        try {
            SessionFunction function = bundle.function(ModelContract.SIGNATURE_KEY);
            ModelContract.verify(function.signature(), metadata, dir.toString());
            LOG.info(
                    "Loaded {} model {} from {}: {}",
                    metadata.kind().name().toLowerCase(),
                    metadata.name(),
                    dir,
                    describe(function.signature()));
            if (!metadata.pretrained()) {
                LOG.warn(
                        "Model {} in {} has random weights ({}); its outputs mean nothing",
                        metadata.name(),
                        dir,
                        metadata.source());
            }
            return new LoadedModel(dir, metadata, bundle, function);
        } catch (RuntimeException e) {
            bundle.close();
            if (e instanceof ModelException) {
                throw e;
            }
            throw new ModelException(
                    "Model " + dir + " has no usable " + ModelContract.SIGNATURE_KEY + " signature: " + e.getMessage(),
                    e);
        }
    }

    /** One line per input and output: name, dtype and shape. */
    public static String describe(Signature signature) {
        StringBuilder sb = new StringBuilder(signature.key()).append(" (");
        signature
                .getInputs()
                .forEach((name, t) -> sb.append("in ")
                        .append(name)
                        .append(' ')
                        .append(t.dataType)
                        .append(' ')
                        .append(t.shape)
                        .append("; "));
        signature
                .getOutputs()
                .forEach((name, t) -> sb.append("out ")
                        .append(name)
                        .append(' ')
                        .append(t.dataType)
                        .append(' ')
                        .append(t.shape)
                        .append("; "));
        sb.setLength(sb.length() - 2);
        return sb.append(')').toString();
    }

    /** Runs the serving signature; the caller closes the result. */
    public Result call(Map<String, Tensor> inputs) {
        return function.call(inputs);
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public Signature signature() {
        return function.signature();
    }

    public Path dir() {
        return dir;
    }

    /** The loaded graph, for inspection (e.g. {@code model info}). */
    public org.tensorflow.Graph graph() {
        return bundle.graph();
    }

    @Override
    public void close() {
        bundle.close();
    }
}
