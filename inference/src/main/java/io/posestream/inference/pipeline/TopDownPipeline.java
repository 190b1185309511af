package io.posestream.inference.pipeline;

import io.posestream.inference.crops.CropPlan;
import io.posestream.inference.crops.CropPlanner;
import io.posestream.inference.crops.Thumbnail;
import io.posestream.inference.geometry.AffineTransform;
import io.posestream.inference.geometry.CenterScale;
import io.posestream.inference.image.ClothingColours;
import io.posestream.inference.image.ModelInputs;
import io.posestream.inference.image.SourceImage;
import io.posestream.inference.image.UndecodableImageException;
import io.posestream.inference.model.Detection;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.inference.postprocess.HeatmapDecoder;
import io.posestream.inference.postprocess.OksNms;
import io.posestream.inference.postprocess.PoseRescoring;
import io.posestream.models.savedmodel.PoseOutput;
import io.posestream.schemas.CocoKeypoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-down multi-person pose as the HRNet paper evaluates it, on a batch of encoded images: decode, find persons
 * (the detector, or with tracking-driven crops the regions a {@link CropPlanner} gives from the persons posed before),
 * turn each box into centre/scale with the pose model's aspect ratio and padding, cut affine crops, run the pose
 * network on the crops of all images together (that is the batching across cameras), decode its output through the
 * inverse affine to source pixels, rescore, OKS-NMS. The detector too runs once on all the images of the batch that
 * need it. Kafka-free, so it is tested and benchmarked on its own. Not thread-safe: one per worker thread (it reuses
 * its buffers).
 */
public final class TopDownPipeline {
    /**
     * @param boxPadding        box enlargement before cropping (HRNet: 1.25)
     * @param keypointThreshold keypoints above this score count in the person rescoring (HRNet: 0.2)
     * @param oksNmsThreshold   poses overlapping a better one by more than this OKS are dropped (HRNet: 0.9)
     * @param maxImagePixels    images with more pixels are answered undecodable from their header, not decoded
     */
    public record Settings(double boxPadding, float keypointThreshold, double oksNmsThreshold, long maxImagePixels) {
        /** 40 megapixels: an 8K frame (33 MP) passes; decoded, it costs 120 MB of BGR pixels. */
        public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;

        public static final Settings HRNET = new Settings(1.25, 0.2f, 0.9, DEFAULT_MAX_IMAGE_PIXELS);
    }

    /** Thumbnail width in cells for the planner's change detection; the height keeps the frame's aspect. */
    static final int THUMBNAIL_WIDTH = 64;

    private static final double[] SIGMAS = java.util.stream.IntStream.range(0, CocoKeypoints.COUNT)
            .mapToDouble(CocoKeypoints::oksSigma)
            .toArray();

    private static final CropPlan EVERY_FRAME =
            new CropPlan.Detect(CropPlan.Reason.EVERY_FRAME, "the detector runs on every frame");

    private final PersonDetector detector;
    private final PoseEstimator estimator;
    private final Settings settings;
    private float[] crops = new float[0];

    public TopDownPipeline(PersonDetector detector, PoseEstimator estimator, Settings settings) {
        this.detector = detector;
        this.estimator = estimator;
        this.settings = settings;
    }

    public PersonDetector detector() {
        return detector;
    }

    public PoseEstimator estimator() {
        return estimator;
    }

    /** One outcome per image, in input order, the detector run on every image. */
    public List<FrameOutcome> process(List<byte[]> images) {
        List<FrameInput> frames = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            frames.add(new FrameInput("image-" + i, 0, images.get(i)));
        }
        return process(frames, null);
    }

    /**
     * One outcome per frame, in input order. With a {@code planner} the detector runs only on the frames it plans
     * so, and the others are cropped where it says the persons are; what each frame gave goes back to the planner
     * (staged: the caller commits it). Without one, the detector runs on every frame.
     *
     * <p>With a planner, a batch holding several frames of one camera is processed in waves (the first frame of each
     * camera, then the second, ...), so each frame is planned from what the camera's previous frame gave. A worker
     * that keeps up, or poses only each camera's latest frame, has one wave per batch.
     */
    public List<FrameOutcome> process(List<FrameInput> frames, CropPlanner planner) {
        if (planner == null || !planner.settings().tracking()) {
            return wave(frames, planner);
        }
        List<List<Integer>> waves = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            int w = seen.merge(frames.get(i).camera(), 1, Integer::sum) - 1;
            if (w == waves.size()) {
                waves.add(new ArrayList<>());
            }
            waves.get(w).add(i);
        }
        if (waves.size() <= 1) {
            return wave(frames, planner);
        }
        FrameOutcome[] outcomes = new FrameOutcome[frames.size()];
        for (List<Integer> wave : waves) {
            List<FrameOutcome> done = wave(wave.stream().map(frames::get).toList(), planner);
            for (int i = 0; i < wave.size(); i++) {
                outcomes[wave.get(i)] = done.get(i);
            }
        }
        return List.of(outcomes);
    }

    /** Frames of distinct cameras (or any frames, without tracking): one detector call, one pass of pose calls. */
    private List<FrameOutcome> wave(List<FrameInput> frames, CropPlanner planner) {
        int n = frames.size();
        Frame[] work = new Frame[n];
        try {
            List<SourceImage> toDetect = new ArrayList<>(n);
            List<Integer> detectedFrames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                work[i] = decode(frames.get(i), planner);
                if (work[i].image != null && work[i].plan.detects()) {
                    toDetect.add(work[i].image);
                    detectedFrames.add(i);
                }
            }
            long t = System.nanoTime();
            List<List<Detection>> detections = toDetect.isEmpty() ? List.of() : detector.detect(toDetect);
            double detectShare = toDetect.isEmpty() ? 0 : ms(t) / toDetect.size();
            for (int d = 0; d < detectedFrames.size(); d++) {
                Frame frame = work[detectedFrames.get(d)];
                frame.detectMs = detectShare;
                for (Detection box : detections.get(d)) {
                    frame.regions.add(new CropPlan.Region(-1, box));
                }
            }
            return pose(work, planner);
        } finally {
            for (Frame frame : work) {
                if (frame != null && frame.image != null) {
                    frame.image.close();
                }
            }
        }
    }

    /** A frame on its way through the pipeline. */
    private static final class Frame {
        final FrameInput input;
        SourceImage image;
        String error;
        Thumbnail thumbnail;
        CropPlan plan;
        final List<CropPlan.Region> regions = new ArrayList<>();
        double decodeMs;
        double detectMs;
        double cropMs;
        int firstCrop;

        Frame(FrameInput input) {
            this.input = input;
        }
    }

    /** Decodes the image and asks the planner what to do with it (the detector, or the tracked regions). */
    private Frame decode(FrameInput input, CropPlanner planner) {
        Frame frame = new Frame(input);
        long t = System.nanoTime();
        try {
            frame.image = SourceImage.decode(input.image(), settings.maxImagePixels());
        } catch (UndecodableImageException e) {
            frame.error = e.getMessage();
        }
        frame.decodeMs = ms(t);
        if (frame.image == null) {
            return frame;
        }
        t = System.nanoTime();
        if (planner == null || !planner.settings().tracking()) {
            frame.plan = EVERY_FRAME;
        } else {
            int w = THUMBNAIL_WIDTH;
            int h = Math.max(1, Math.round((float) w * frame.image.height() / frame.image.width()));
            frame.thumbnail = new Thumbnail(w, h, ModelInputs.thumbnail(frame.image, w, h));
            frame.plan = planner.plan(
                    input.camera(), input.captureMs(), frame.image.width(), frame.image.height(), frame.thumbnail);
            if (frame.plan instanceof CropPlan.Track track) {
                frame.regions.addAll(track.regions());
            }
        }
        frame.cropMs = ms(t);
        return frame;
    }

    private List<FrameOutcome> pose(Frame[] frames, CropPlanner planner) {
        // Crops of every frame in one buffer, so the pose network sees them in as few calls as its batch allows.
        int total = 0;
        for (Frame frame : frames) {
            frame.firstCrop = total;
            total += frame.regions.size();
        }
        int cropSize = estimator.cropSize();
        if (crops.length < total * cropSize) {
            crops = new float[total * cropSize];
        }
        CenterScale[] areas = new CenterScale[total];
        for (Frame frame : frames) {
            long t = System.nanoTime();
            for (int p = 0; p < frame.regions.size(); p++) {
                int c = frame.firstCrop + p;
                areas[c] = crop(frame.image, frame.regions.get(p).box(), crops, c * cropSize);
            }
            frame.cropMs += ms(t);
        }
        long t = System.nanoTime();
        float[] outputs = total == 0 ? new float[0] : estimator.outputs(crops, total);
        double poseMsPerCrop = total == 0 ? 0 : ms(t) / total;

        List<FrameOutcome> outcomes = new ArrayList<>(frames.length);
        for (Frame frame : frames) {
            if (frame.image == null) {
                outcomes.add(new FrameOutcome(
                        0, 0, List.of(), 0, new StageTimes(frame.decodeMs, 0, 0, 0, 0), frame.error, null));
                continue;
            }
            long d = System.nanoTime();
            List<PosedPerson> persons = persons(frame, outputs, areas, planner);
            int count = frame.regions.size();
            outcomes.add(new FrameOutcome(
                    frame.image.width(),
                    frame.image.height(),
                    persons,
                    count,
                    new StageTimes(frame.decodeMs, frame.detectMs, frame.cropMs, poseMsPerCrop * count, ms(d)),
                    null,
                    frame.plan instanceof CropPlan.Detect detect ? detect.reason() : null));
        }
        return outcomes;
    }

    /**
     * Writes the pose network's input for one person into {@code out} at {@code offset}
     * ({@link PoseEstimator#cropSize()} values): the region around {@code box} with the model's aspect ratio and the
     * box padding, warped to the model's input size (HRNet's {@code _box2cs} and {@code get_affine_transform}).
     *
     * @return the region of the source image the crop covers, to map keypoints back through
     */
    public CenterScale crop(SourceImage image, Detection box, float[] out, int offset) {
        double aspect = (double) estimator.inputWidth() / estimator.inputHeight();
        CenterScale region = CenterScale.ofBox(box.x1(), box.y1(), box.x2(), box.y2(), aspect, settings.boxPadding());
        ModelInputs.crop(
                image,
                AffineTransform.cropToOutput(region, estimator.inputWidth(), estimator.inputHeight()),
                estimator.inputWidth(),
                estimator.inputHeight(),
                out,
                offset);
        return region;
    }

    /** Decodes a frame's crops into persons: rescored, OKS-NMS'd, best first. Reports what was kept to the planner. */
    private List<PosedPerson> persons(Frame frame, float[] outputs, CenterScale[] areas, CropPlanner planner) {
        int count = frame.regions.size();
        List<DecodedPose> poses = new ArrayList<>(count);
        List<CropPlan.Region> regions = new ArrayList<>(count);
        List<Float> scoreList = new ArrayList<>(count);
        List<Double> areaList = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            int c = frame.firstCrop + p;
            CropPlan.Region region = frame.regions.get(p);
            DecodedPose pose = toSource(outputs, c, areas[c]);
            if (region.person() >= 0) {
                // Published where the pose says the person is, not where the crop guessed they would be.
                region = new CropPlan.Region(
                        region.person(), planner.located(frame.input.camera(), region, pose, frame.input.captureMs()));
            }
            poses.add(pose);
            regions.add(region);
            scoreList.add(PoseRescoring.rescore(region.box().score(), pose.scores(), settings.keypointThreshold()));
            areaList.add(areas[c].area());
        }
        float[] scores = new float[poses.size()];
        double[] personAreas = new double[poses.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scoreList.get(i);
            personAreas[i] = areaList.get(i);
        }
        int[] kept = OksNms.keep(poses, scores, personAreas, SIGMAS, settings.oksNmsThreshold());
        List<PosedPerson> persons = new ArrayList<>(kept.length);
        List<CropPlanner.Observation> observed = new ArrayList<>(kept.length);
        for (int k : kept) {
            DecodedPose pose = poses.get(k);
            // The clothing's colours for the tracker, read while the frame's pixels are still here.
            float[] appearance = ClothingColours.describe(
                    frame.image, pose.x(), pose.y(), pose.scores(), settings.keypointThreshold());
            persons.add(new PosedPerson(regions.get(k).box(), scores[k], pose, appearance));
            observed.add(new CropPlanner.Observation(
                    regions.get(k).person(), regions.get(k).box(), poses.get(k)));
        }
        if (planner != null) {
            FrameInput input = frame.input;
            planner.observe(
                    input.camera(),
                    input.captureMs(),
                    frame.image.width(),
                    frame.image.height(),
                    frame.plan,
                    observed,
                    frame.thumbnail);
        }
        return persons;
    }

    /** Crop {@code c}'s keypoints in source pixels, from heatmaps or from the keypoints the model decoded itself. */
    private DecodedPose toSource(float[] outputs, int c, CenterScale region) {
        int k = estimator.keypoints();
        int offset = c * estimator.outputSize();
        if (estimator.output() == PoseOutput.HEATMAPS) {
            DecodedPose onHeatmap =
                    HeatmapDecoder.decode(outputs, offset, estimator.heatmapHeight(), estimator.heatmapWidth(), k);
            return HeatmapDecoder.toSource(onHeatmap, region, estimator.heatmapWidth(), estimator.heatmapHeight());
        }
        float[] x = new float[k];
        float[] y = new float[k];
        float[] scores = new float[k];
        for (int j = 0; j < k; j++) {
            x[j] = outputs[offset + 3 * j];
            y[j] = outputs[offset + 3 * j + 1];
            scores[j] = outputs[offset + 3 * j + 2];
        }
        return HeatmapDecoder.toSource(
                new DecodedPose(x, y, scores), region, estimator.inputWidth(), estimator.inputHeight());
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    @Override
    public String toString() {
        return "TopDownPipeline[" + detector.name() + " -> " + estimator.name() + ", " + settings + "]";
    }
}
