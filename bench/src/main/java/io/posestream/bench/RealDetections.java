package io.posestream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.FrameOutcome;
import io.posestream.inference.pipeline.PosedPerson;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.eval.PoseTrackData;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The default models (an inference worker's default settings) run on every frame of a video file, written as a
 * PoseTrack-style detections file with each frame's {@code timestamp_ms} from the video's frame rate. This is what
 * the tracker gets on real footage when inference keeps up; subsampling it gives the low posed rates of a loaded
 * CPU. Kafka-free: the frames go straight through {@link TopDownPipeline}.
 */
final class RealDetections {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Frames per pipeline call, as a worker batches them. */
    private static final int BATCH = 4;

    private RealDetections() {}

    /**
     * Detections of the first {@code frames} frames of {@code video} (all of it when it is shorter), the worker's
     * default model settings, the models in {@code modelsDir}; progress goes to {@code log}.
     */
    static PoseTrackData of(Path video, int frames, double videoFps, Path modelsDir, PrintStream log) throws Exception {
        SampleVideoFrames sample = SampleVideoFrames.consecutive(video, frames, CameraConfig.DEFAULT_JPEG_QUALITY);
        InferenceConfig config = RawModelTimes.modelSettingsOnly(modelsDir);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        String videoName = video.getFileName().toString();
        String detector;
        String pose;
        try (LoadedModel detectorModel =
                        LoadedModel.load(config.detectorDir(), ModelKind.DETECTOR, config.sessionSettings());
                LoadedModel poseModel = LoadedModel.load(config.poseDir(), ModelKind.POSE, config.sessionSettings())) {
            TopDownPipeline pipeline = new TopDownPipeline(
                    new PersonDetector(detectorModel, config.detectorSettings()),
                    new PoseEstimator(poseModel, config.poseSettings()),
                    config.pipelineSettings());
            detector = pipeline.detector().name();
            pose = pipeline.estimator().name();
            long annotationId = 1;
            long start = System.nanoTime();
            List<byte[]> jpegs = sample.jpegs();
            for (int first = 0; first < jpegs.size(); first += BATCH) {
                List<FrameOutcome> outcomes =
                        pipeline.process(jpegs.subList(first, Math.min(jpegs.size(), first + BATCH)));
                for (int i = 0; i < outcomes.size(); i++) {
                    int index = first + i;
                    long imageId = index + 1;
                    images.addObject()
                            .put("id", imageId)
                            .put("vid_id", videoName)
                            .put("frame_id", imageId)
                            .put("file_name", videoName + "#" + index)
                            .put("timestamp_ms", Math.round(index * 1000.0 / videoFps))
                            .put("width", sample.width())
                            .put("height", sample.height());
                    for (PosedPerson person : outcomes.get(i).persons()) {
                        annotations.add(annotation(annotationId++, imageId, person));
                    }
                }
                if ((first / BATCH) % 25 == 24) {
                    log.printf(
                            "  %d of %d frames posed (%.1f frames/s)%n",
                            first + outcomes.size(),
                            jpegs.size(),
                            (first + outcomes.size()) / ((System.nanoTime() - start) / 1e9));
                }
            }
        }
        root.put("detector_model", detector).put("pose_model", pose);
        ObjectNode category = root.putArray("categories").addObject();
        category.put("id", 1).put("name", "person");
        ArrayNode names = category.putArray("keypoints");
        CocoKeypoints.NAMES.forEach(names::add);
        return PoseTrackData.of(root, video + " (" + detector + " + " + pose + ")", videoFps);
    }

    /** One detection as the tracker would read it from the pose topic (scores clamped to [0, 1] there too). */
    private static ObjectNode annotation(long id, long imageId, PosedPerson person) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation.put("id", id).put("image_id", imageId).put("category_id", 1);
        ArrayNode keypoints = annotation.putArray("keypoints");
        DecodedPose pose = person.keypoints();
        for (int k = 0; k < pose.size(); k++) {
            keypoints.add(round(pose.x()[k])).add(round(pose.y()[k])).add(round(unit(pose.scores()[k])));
        }
        var box = person.box();
        annotation
                .putArray("bbox")
                .add(round(box.x1()))
                .add(round(box.y1()))
                .add(round(box.x2() - box.x1()))
                .add(round(box.y2() - box.y1()));
        annotation.put("score", round(unit(person.score())));
        PoseTrackData.putAppearance(annotation, person.appearance());
        return annotation;
    }

    private static float unit(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
