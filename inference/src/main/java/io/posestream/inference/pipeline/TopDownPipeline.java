package io.posestream.inference.pipeline;

import io.posestream.inference.geometry.AffineTransform;
import io.posestream.inference.geometry.CenterScale;
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
import io.posestream.schemas.CocoKeypoints;
import java.util.ArrayList;
import java.util.List;

/**
 * Top-down multi-person pose as the HRNet paper evaluates it, on a batch of encoded images: decode, detect persons,
 * turn each box into centre/scale with the pose model's aspect ratio and padding, cut affine crops, run the pose
 * network on the crops of all images together (that is the batching across cameras), decode heatmaps through the
 * inverse affine to source pixels, rescore, OKS-NMS. Kafka-free, so it is tested and benchmarked on its own.
 * Not thread-safe: one per worker thread (it reuses its crop buffer).
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

    private static final double[] SIGMAS = java.util.stream.IntStream.range(0, CocoKeypoints.COUNT)
            .mapToDouble(CocoKeypoints::oksSigma)
            .toArray();

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

    /** One outcome per image, in input order. */
    public List<FrameOutcome> process(List<byte[]> images) {
        int n = images.size();
        SourceImage[] decoded = new SourceImage[n];
        String[] errors = new String[n];
        double[] decodeMs = new double[n];
        try {
            List<SourceImage> good = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                try {
                    decoded[i] = SourceImage.decode(images.get(i), settings.maxImagePixels());
                    good.add(decoded[i]);
                } catch (UndecodableImageException e) {
                    errors[i] = e.getMessage();
                }
                decodeMs[i] = ms(t);
            }
            long t = System.nanoTime();
            List<List<Detection>> detections = good.isEmpty() ? List.of() : detector.detect(good);
            double detectShare = good.isEmpty() ? 0 : ms(t) / good.size();
            return pose(decoded, errors, decodeMs, detections, detectShare);
        } finally {
            for (SourceImage image : decoded) {
                if (image != null) {
                    image.close();
                }
            }
        }
    }

    private List<FrameOutcome> pose(
            SourceImage[] decoded,
            String[] errors,
            double[] decodeMs,
            List<List<Detection>> detections,
            double detectShare) {
        int n = decoded.length;
        // Crops of every image in one buffer, so the pose network sees them in as few calls as its batch allows.
        int[] firstCrop = new int[n + 1];
        for (int i = 0, g = 0; i < n; i++) {
            firstCrop[i + 1] =
                    firstCrop[i] + (decoded[i] == null ? 0 : detections.get(g++).size());
        }
        int total = firstCrop[n];
        int cropSize = estimator.cropSize();
        if (crops.length < total * cropSize) {
            crops = new float[total * cropSize];
        }
        CenterScale[] regions = new CenterScale[total];
        Detection[] boxes = new Detection[total];
        double[] cropMs = new double[n];
        for (int i = 0, g = 0; i < n; i++) {
            if (decoded[i] == null) {
                continue;
            }
            long t = System.nanoTime();
            List<Detection> persons = detections.get(g++);
            for (int p = 0; p < persons.size(); p++) {
                int c = firstCrop[i] + p;
                boxes[c] = persons.get(p);
                regions[c] = crop(decoded[i], boxes[c], crops, c * cropSize);
            }
            cropMs[i] = ms(t);
        }
        long t = System.nanoTime();
        float[] heatmaps = total == 0 ? new float[0] : estimator.heatmaps(crops, total);
        double poseMsPerCrop = total == 0 ? 0 : ms(t) / total;

        List<FrameOutcome> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (decoded[i] == null) {
                outcomes.add(new FrameOutcome(0, 0, List.of(), 0, new StageTimes(decodeMs[i], 0, 0, 0, 0), errors[i]));
                continue;
            }
            long d = System.nanoTime();
            List<PosedPerson> persons = persons(heatmaps, regions, boxes, firstCrop[i], firstCrop[i + 1]);
            int crops = firstCrop[i + 1] - firstCrop[i];
            outcomes.add(new FrameOutcome(
                    decoded[i].width(),
                    decoded[i].height(),
                    persons,
                    crops,
                    new StageTimes(decodeMs[i], detectShare, cropMs[i], poseMsPerCrop * crops, ms(d)),
                    null));
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

    /** Decodes crops {@code [from, to)} of one image into persons: rescored, OKS-NMS'd, best first. */
    private List<PosedPerson> persons(float[] heatmaps, CenterScale[] regions, Detection[] boxes, int from, int to) {
        int count = to - from;
        List<DecodedPose> poses = new ArrayList<>(count);
        float[] scores = new float[count];
        double[] areas = new double[count];
        for (int c = from; c < to; c++) {
            DecodedPose onHeatmap = HeatmapDecoder.decode(
                    heatmaps,
                    c * estimator.heatmapSize(),
                    estimator.heatmapHeight(),
                    estimator.heatmapWidth(),
                    estimator.keypoints());
            DecodedPose pose =
                    HeatmapDecoder.toSource(onHeatmap, regions[c], estimator.heatmapWidth(), estimator.heatmapHeight());
            poses.add(pose);
            scores[c - from] = PoseRescoring.rescore(boxes[c].score(), pose.scores(), settings.keypointThreshold());
            areas[c - from] = regions[c].area();
        }
        int[] kept = OksNms.keep(poses, scores, areas, SIGMAS, settings.oksNmsThreshold());
        List<PosedPerson> persons = new ArrayList<>(kept.length);
        for (int k : kept) {
            persons.add(new PosedPerson(boxes[from + k], scores[k], poses.get(k)));
        }
        return persons;
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    @Override
    public String toString() {
        return "TopDownPipeline[" + detector.name() + " -> " + estimator.name() + ", " + settings + "]";
    }
}
