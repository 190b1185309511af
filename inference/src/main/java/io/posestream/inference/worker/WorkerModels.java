package io.posestream.inference.worker;

import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;

/**
 * The two SavedModels a worker holds open and the pipeline built on them. Loading checks each model's contract, so a
 * wrong or missing model fails here, naming the directory, before any Kafka client exists.
 */
final class WorkerModels implements AutoCloseable {
    private final LoadedModel detector;
    private final LoadedModel pose;
    private final TopDownPipeline pipeline;

    private WorkerModels(LoadedModel detector, LoadedModel pose, TopDownPipeline pipeline) {
        this.detector = detector;
        this.pose = pose;
        this.pipeline = pipeline;
    }

    /** Loads the detector and pose models of {@code config}; nothing stays open when either is refused. */
    static WorkerModels load(InferenceConfig config) {
        LoadedModel detector = LoadedModel.load(config.detectorDir(), ModelKind.DETECTOR, config.sessionSettings());
        LoadedModel pose = null;
        try {
            pose = LoadedModel.load(config.poseDir(), ModelKind.POSE, config.sessionSettings());
            TopDownPipeline pipeline = new TopDownPipeline(
                    new PersonDetector(detector, config.detectorSettings()),
                    new PoseEstimator(pose, config.poseSettings()),
                    config.pipelineSettings());
            return new WorkerModels(detector, pose, pipeline);
        } catch (RuntimeException e) {
            detector.close();
            if (pose != null) {
                pose.close();
            }
            throw e;
        }
    }

    TopDownPipeline pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        detector.close();
        pose.close();
    }
}
