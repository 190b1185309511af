package io.posestream.models.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes a model as a SavedModel with its metadata asset, checking the contract first. The model is written to a
 * temporary sibling directory and moved into place only when complete, so a failed export leaves no half model
 * and an existing model is replaced only by a good one.
 */
public final class SavedModelWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SavedModelWriter.class);

    private SavedModelWriter() {}

    /**
     * Exports {@code signature} of {@code session} (variables included) to {@code dir} under the serving tag.
     *
     * @throws ModelException if the signature does not meet the contract of {@code metadata.kind()}
     */
    public static void write(Session session, Signature signature, ModelMetadata metadata, Path dir)
            throws IOException {
        ModelContract.verify(signature, metadata, dir.toString());
        Path target = dir.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
        try {
            // The exporter wants to create its directory itself.
            Files.delete(staging);
            SavedModelBundle.exporter(staging.toString())
                    .withTags(SavedModelBundle.DEFAULT_TAG)
                    .withFunction(SessionFunction.create(signature, session))
                    .export();
            metadata.write(staging);
            if (Files.exists(target)) {
                PathUtils.deleteDirectory(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info(
                    "Wrote {} model {} to {} (pretrained: {}; source: {})",
                    metadata.kind().name().toLowerCase(),
                    metadata.name(),
                    target,
                    metadata.pretrained(),
                    metadata.source());
        } finally {
            if (Files.exists(staging)) {
                PathUtils.deleteDirectory(staging);
            }
        }
    }
}
