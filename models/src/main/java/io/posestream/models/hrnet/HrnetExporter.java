package io.posestream.models.hrnet;

import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SavedModelWriter;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.models.torch.TorchCheckpoint;
import io.posestream.schemas.CocoKeypoints;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an HRNet, fills it from an official-format PyTorch checkpoint (or a seeded random init) and exports it as
 * a pose SavedModel with its metadata asset. The checkpoint is read and checked completely before anything is
 * written, so a checkpoint that does not fit leaves no model behind.
 */
public final class HrnetExporter {
    private static final Logger LOG = LoggerFactory.getLogger(HrnetExporter.class);
    public static final String NORMALIZATION =
            "RGB 0..255 / 255, minus ImageNet mean [0.485, 0.456, 0.406], divided by std [0.229, 0.224, 0.225]";

    private HrnetExporter() {}

    /**
     * Exports {@code arch} at {@code input} to {@code out}.
     *
     * @param checkpoint an official-format {@code .pth} state_dict, or null for random weights from {@code seed}
     * @return the metadata written with the model
     * @throws io.posestream.models.torch.CheckpointException if the checkpoint cannot be read or does not fit
     */
    public static ModelMetadata export(
            HrnetArch arch, InputSize input, Path checkpoint, long seed, Path out, SessionSettings settings)
            throws IOException {
        HrnetSpec spec = HrnetSpec.of(arch, input);
        HrnetWeights weights;
        if (checkpoint != null) {
            weights = HrnetWeights.fromCheckpoint(spec, TorchCheckpoint.readStateDict(checkpoint), checkpoint);
            LOG.info(
                    "Checkpoint {} fits {}: {} tensors, {} parameters",
                    checkpoint,
                    arch,
                    spec.weights().size(),
                    spec.parameters());
        } else {
            weights = HrnetWeights.random(spec, seed);
            LOG.warn(
                    "No --checkpoint: {} gets RANDOM weights (seed {}); the model runs but finds no poses. "
                            + "Import an official checkpoint with --checkpoint FILE.pth",
                    arch,
                    seed);
        }
        ModelMetadata metadata = metadata(spec, weights.source(), weights.pretrained());
        try (HrnetGraph graph = HrnetGraph.build(spec, settings)) {
            graph.load(weights);
            SavedModelWriter.write(graph.session(), graph.signature(), metadata, out);
        }
        return metadata;
    }

    /** The metadata asset of an HRNet pose model. */
    public static ModelMetadata metadata(HrnetSpec spec, String source, boolean pretrained) {
        InputSize in = spec.input();
        return new ModelMetadata(
                spec.arch().id() + "-" + in,
                ModelKind.POSE,
                in.height(),
                in.width(),
                4,
                CocoKeypoints.NAMES,
                CocoKeypoints.FLIP_PAIRS,
                0,
                NORMALIZATION,
                source,
                pretrained);
    }
}
