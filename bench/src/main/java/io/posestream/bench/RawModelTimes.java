package io.posestream.bench;

import io.posestream.inference.image.SourceImage;
import io.posestream.inference.model.Detection;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * What the models alone allow, measured on prepared tensors (decoding, resizing and cropping done before the clock
 * starts): seconds per frame in the person detector at its best batch, and per crop in the pose network at each
 * batch. The limit a worker is compared with, in {@code bench pipeline} and {@code bench demo}.
 *
 * @param detectorBatch         the detector batch that was fastest per frame
 * @param detectSecondsPerFrame detector seconds per frame at that batch
 * @param poseSecondsPerCrop    pose seconds per crop, by batch
 * @param cropsPerFrame         persons the detector found per frame (the crops a frame costs)
 */
record RawModelTimes(
        int detectorBatch,
        double detectSecondsPerFrame,
        Map<Integer, Double> poseSecondsPerCrop,
        double cropsPerFrame) {

    int bestPoseBatch(List<Integer> candidates) {
        return poseSecondsPerCrop.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(candidates.get(candidates.size() - 1));
    }

    /** Frames/s of the detector on a share of the frames and the pose network on so many crops per frame. */
    double framesPerSecond(int poseBatch, double detectedShare, double crops) {
        return 1 / (detectedShare * detectSecondsPerFrame + crops * poseSecondsPerCrop.getOrDefault(poseBatch, 0.0));
    }

    /**
     * The worker's model settings for the models of {@code modelsDir}, for timing the models outside a worker: no
     * worker runs, so the cluster keys are placeholders.
     */
    static InferenceConfig modelSettingsOnly(Path modelsDir) {
        Map<String, Object> settings = new HashMap<>(InferenceConfig.modelDirs(modelsDir, null, null));
        settings.put(InferenceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        settings.put(InferenceConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
        return new InferenceConfig(settings);
    }

    /**
     * Times the detector on the frames' resized inputs and the pose network on the crops of the persons it finds,
     * both already turned into tensors; decoding, resizing and cropping happen before the clock starts.
     */
    static RawModelTimes measure(
            InferenceConfig config,
            LoadedModel detectorModel,
            LoadedModel poseModel,
            List<byte[]> jpegs,
            List<Integer> batchSizes,
            int rawCrops) {
        ModelMetadata detectorMetadata = detectorModel.metadata();
        ModelMetadata poseMetadata = poseModel.metadata();
        // The worker's own pipeline steps prepare the inputs, so the raw side is timed on what the worker feeds.
        PersonDetector detector = new PersonDetector(detectorModel, config.detectorSettings());
        TopDownPipeline pipeline = new TopDownPipeline(
                detector, new PoseEstimator(poseModel, config.poseSettings()), config.pipelineSettings());
        int detectorValues = detector.inputSize();
        int cropValues = pipeline.estimator().cropSize();
        float[] detectorInputs = new float[jpegs.size() * detectorValues];
        List<SourceImage> images = new ArrayList<>(jpegs.size());
        float[] crops;
        int totalCrops;
        try {
            for (int i = 0; i < jpegs.size(); i++) {
                images.add(SourceImage.decode(
                        jpegs.get(i), config.pipelineSettings().maxImagePixels()));
                detector.input(images.get(i), detectorInputs, i * detectorValues);
            }
            // The worker's own detector settings find the persons whose crops the pose network gets.
            List<List<Detection>> found = detector.detect(images);
            List<int[]> owners = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                for (int p = 0; p < found.get(i).size(); p++) {
                    owners.add(new int[] {i, p});
                }
            }
            totalCrops = owners.size();
            int maxBatch = batchSizes.get(batchSizes.size() - 1);
            int pool = totalCrops == 0 ? 0 : roundUp(Math.min(totalCrops, rawCrops), maxBatch);
            crops = new float[pool * cropValues];
            for (int c = 0; c < pool; c++) {
                int[] owner = owners.get(c % totalCrops);
                pipeline.crop(images.get(owner[0]), found.get(owner[0]).get(owner[1]), crops, c * cropValues);
            }
        } finally {
            images.forEach(SourceImage::close);
        }

        int detectorLimit = detectorMetadata.maxBatch() > 0 ? detectorMetadata.maxBatch() : Integer.MAX_VALUE;
        int detectorBatch = 1;
        double detectSeconds = Double.MAX_VALUE;
        for (int batch : batchSizes) {
            if (batch <= detectorLimit) {
                double seconds =
                        timePass(detectorModel, detectorInputs, jpegs.size(), batch, detectorMetadata) / jpegs.size();
                if (seconds < detectSeconds) {
                    detectSeconds = seconds;
                    detectorBatch = batch;
                }
            }
        }
        if (detectSeconds == Double.MAX_VALUE) {
            detectSeconds = timePass(detectorModel, detectorInputs, jpegs.size(), 1, detectorMetadata) / jpegs.size();
        }
        Map<Integer, Double> poseSeconds = new LinkedHashMap<>();
        int pool = crops.length / cropValues;
        int poseLimit = poseMetadata.maxBatch() > 0 ? poseMetadata.maxBatch() : Integer.MAX_VALUE;
        for (int batch : batchSizes) {
            if (pool > 0 && batch <= poseLimit) {
                poseSeconds.put(batch, timePass(poseModel, crops, pool, batch, poseMetadata) / pool);
            }
        }
        return new RawModelTimes(detectorBatch, detectSeconds, poseSeconds, (double) totalCrops / jpegs.size());
    }

    /** Seconds for one pass over {@code count} prepared inputs in calls of {@code batch}, after one warm-up call. */
    private static double timePass(LoadedModel model, float[] inputs, int count, int batch, ModelMetadata metadata) {
        int values = metadata.inputWidth() * metadata.inputHeight() * 3;
        List<TFloat32> tensors = new ArrayList<>();
        try {
            for (int start = 0; start < count; start += batch) {
                int n = Math.min(batch, count - start);
                tensors.add(TFloat32.tensorOf(
                        Shape.of(n, metadata.inputHeight(), metadata.inputWidth(), 3),
                        DataBuffers.of(inputs, true, false).slice((long) start * values, (long) n * values)));
            }
            call(model, tensors.get(0));
            long begin = System.nanoTime();
            tensors.forEach(t -> call(model, t));
            return (System.nanoTime() - begin) / 1e9;
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    private static void call(LoadedModel model, TFloat32 input) {
        try (Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            result.size();
        }
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
