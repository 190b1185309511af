package io.posestream.inference.model;

import io.posestream.inference.image.ModelInputs;
import io.posestream.inference.image.SourceImage;
import io.posestream.inference.postprocess.BoxNms;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * Runs a detector SavedModel (contract in docs/design.md) on whole frames and returns person boxes in source pixels.
 * Frames are stretched to the model's input size, as the detector was trained, and boxes are scaled back; the score
 * threshold and NMS are applied here so they stay configuration, not graph constants.
 */
public final class PersonDetector {
    /**
     * @param scoreThreshold least detector score of a person
     * @param nmsIou         boxes overlapping a better one by more than this IoU are dropped
     * @param maxPersons     at most this many persons per frame, best first
     */
    public record Settings(float scoreThreshold, float nmsIou, int maxPersons) {
        public Settings {
            if (!(scoreThreshold >= 0 && scoreThreshold <= 1) || !(nmsIou > 0 && nmsIou <= 1) || maxPersons < 1) {
                throw new IllegalArgumentException(
                        "detector settings out of range: " + scoreThreshold + ", " + nmsIou + ", " + maxPersons);
            }
        }
    }

    private final LoadedModel model;
    private final Settings settings;
    private final int inputWidth;
    private final int inputHeight;
    private final int maxBatch;
    private float[] pixels = new float[0];

    public PersonDetector(LoadedModel model, Settings settings) {
        if (model.metadata().kind() != ModelKind.DETECTOR) {
            throw new IllegalArgumentException(
                    "model " + model.dir() + " is a " + model.metadata().kind() + " model, not a person detector");
        }
        this.model = model;
        this.settings = settings;
        ModelMetadata metadata = model.metadata();
        this.inputWidth = metadata.inputWidth();
        this.inputHeight = metadata.inputHeight();
        this.maxBatch = metadata.maxBatch() > 0 ? metadata.maxBatch() : Integer.MAX_VALUE;
    }

    public String name() {
        return model.metadata().name();
    }

    /** Values of one image's model input: {@code inputHeight * inputWidth * 3}. */
    public int inputSize() {
        return inputHeight * inputWidth * 3;
    }

    /**
     * Writes the model's input for {@code image} into {@code out} at {@code offset} ({@link #inputSize()} values): the
     * frame stretched to the model's input size, RGB 0..255. The step {@link #detect} takes before each call.
     */
    public void input(SourceImage image, float[] out, int offset) {
        ModelInputs.resized(image, inputWidth, inputHeight, out, offset);
    }

    /** Persons of each image, best first; as many calls as the graph's batch limit needs. */
    public List<List<Detection>> detect(List<SourceImage> images) {
        List<List<Detection>> found = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += maxBatch) {
            found.addAll(detectBatch(images.subList(start, Math.min(images.size(), start + maxBatch))));
        }
        return found;
    }

    private List<List<Detection>> detectBatch(List<SourceImage> images) {
        int n = images.size();
        int perImage = inputHeight * inputWidth * 3;
        if (pixels.length < n * perImage) {
            pixels = new float[n * perImage];
        }
        for (int i = 0; i < n; i++) {
            input(images.get(i), pixels, i * perImage);
        }
        float[] boxes;
        float[] scores;
        try (TFloat32 input = Tensors.images(pixels, 0, n, inputHeight, inputWidth);
                Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            boxes = Tensors.read((TFloat32) result.get(ModelContract.BOXES).orElseThrow());
            scores = Tensors.read((TFloat32) result.get(ModelContract.SCORES).orElseThrow());
        }
        int perFrame = scores.length / n;
        List<List<Detection>> found = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            found.add(select(images.get(i), boxes, scores, i, perFrame));
        }
        return found;
    }

    private List<Detection> select(SourceImage image, float[] allBoxes, float[] allScores, int index, int perFrame) {
        float[] boxes = java.util.Arrays.copyOfRange(allBoxes, index * perFrame * 4, (index + 1) * perFrame * 4);
        float[] scores = java.util.Arrays.copyOfRange(allScores, index * perFrame, (index + 1) * perFrame);
        int[] kept = BoxNms.keep(boxes, scores, settings.scoreThreshold(), settings.nmsIou(), settings.maxPersons());
        float sx = (float) image.width() / inputWidth;
        float sy = (float) image.height() / inputHeight;
        List<Detection> persons = new ArrayList<>(kept.length);
        for (int k : kept) {
            // Clamp to the frame: a box reaching past the border would only widen the crop into black.
            persons.add(new Detection(
                    clamp(boxes[4 * k] * sx, image.width()),
                    clamp(boxes[4 * k + 1] * sy, image.height()),
                    clamp(boxes[4 * k + 2] * sx, image.width()),
                    clamp(boxes[4 * k + 3] * sy, image.height()),
                    scores[k]));
        }
        return persons;
    }

    private static float clamp(float v, int size) {
        return Math.max(0f, Math.min(size, v));
    }
}
