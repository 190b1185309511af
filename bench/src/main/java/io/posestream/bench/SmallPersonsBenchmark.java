package io.posestream.bench;

import io.posestream.cli.ModelsDirOption;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.FrameOutcome;
import io.posestream.inference.pipeline.PoseAgreement;
import io.posestream.inference.pipeline.PosedPerson;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.models.info.GraphStats;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.models.pretrained.MoveNet;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.models.tfjs.TfjsConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Whether the small persons of a surveillance view are posed as well by a smaller pose input or model: MoveNet-Thunder
 * at 256x256 (the worker's default) against the same network converted for 192x192 and 128x128 inputs and against
 * MoveNet-Lightning (192x192), on the same detections of the sample video: pose time per crop, and the mean OKS of
 * each one's keypoints against Thunder-256's, by person height.
 */
@Command(
        name = "small-persons",
        mixinStandardHelpOptions = true,
        description = "Pose vtest.avi's persons with MoveNet-Thunder at 256 (the reference), Thunder converted for "
                + "smaller inputs and MoveNet-Lightning, on the same detections: pose ms per crop and mean OKS "
                + "against the reference by person height, to decide whether small persons need the large input.")
final class SmallPersonsBenchmark implements Callable<Integer> {
    @Option(
            names = "--frames",
            defaultValue = "24",
            description = "Frames of the sample video, in runs of consecutive frames from 4 places (default: "
                    + "${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--inputs",
            split = ",",
            defaultValue = "192,128",
            description = "Smaller inputs for Thunder's network, multiples of 64 (default: ${DEFAULT-VALUE}).")
    List<Integer> inputs;

    @Mixin
    ModelsDirOption modelsDir;

    /** Person heights (detector box, source pixels) the agreement is broken down by. */
    private static final double[] HEIGHTS = {0, 80, 120, Double.MAX_VALUE};

    @Override
    public Integer call() throws Exception {
        Path dir = modelsDir.resolve();
        ModelPreparer preparer = new ModelPreparer(dir, HumanModelsPackage.fromPath());
        preparer.prepare();
        SampleVideoFrames sample = SampleVideoFrames.read(
                SampleRtspCamera.DEFAULT_VIDEO, 4, Math.max(1, frames / 4), 4, CameraConfig.DEFAULT_JPEG_QUALITY);
        List<byte[]> jpegs = sample.jpegs();
        Path variants = Files.createTempDirectory("posestream-bench-small-persons-");
        Map<String, Path> candidates = new LinkedHashMap<>();
        try {
            candidates.put(MoveNet.THUNDER.dirName(), preparer.dir(MoveNet.THUNDER));
            for (int input : inputs) {
                MoveNet variant = MoveNet.THUNDER.atInput(input);
                Path out = variants.resolve(variant.dirName());
                TfjsConverter.convert(
                        preparer.original(MoveNet.THUNDER),
                        variant,
                        variant.metadata("converted for this benchmark from " + ModelPreparer.source(MoveNet.THUNDER)),
                        out);
                candidates.put(variant.dirName(), out);
            }
            candidates.put(MoveNet.LIGHTNING.dirName(), preparer.dir(MoveNet.LIGHTNING));

            BenchTable table = new BenchTable(
                    "pose model",
                    "input",
                    "GMAC/crop",
                    "pose ms/crop",
                    "persons",
                    "mean OKS vs thunder-256",
                    "< 80 px tall",
                    "80-120 px",
                    ">= 120 px");
            List<FrameOutcome> reference = null;
            try (LoadedModel detectorModel =
                    LoadedModel.load(dir.resolve("centernet"), ModelKind.DETECTOR, SessionSettings.DEFAULTS)) {
                PersonDetector detector =
                        new PersonDetector(detectorModel, new PersonDetector.Settings(0.3f, 0.5f, 20));
                for (Map.Entry<String, Path> candidate : candidates.entrySet()) {
                    try (LoadedModel pose =
                            LoadedModel.load(candidate.getValue(), ModelKind.POSE, SessionSettings.DEFAULTS)) {
                        TopDownPipeline pipeline = new TopDownPipeline(
                                detector,
                                new PoseEstimator(pose, new PoseEstimator.Settings(8, false, true)),
                                TopDownPipeline.Settings.HRNET);
                        pipeline.process(jpegs.subList(0, 1)); // TensorFlow's first call is slow: not timed
                        List<FrameOutcome> outcomes = new ArrayList<>();
                        for (byte[] jpeg : jpegs) {
                            outcomes.add(pipeline.process(List.of(jpeg)).get(0));
                        }
                        if (reference == null) {
                            reference = outcomes;
                        }
                        table.row(row(candidate.getKey(), pose, outcomes, reference));
                    }
                }
            }
            System.out.println("bench small-persons on " + MachineInfo.describe());
            System.out.printf(
                    "%d JPEG frames of %s (4 runs of consecutive frames); CenterNet detections (score >= 0.3), the "
                            + "same for every pose model; pose ms/crop: the pose stage of the pipeline (model calls of "
                            + "8 crops) per crop. OKS: persons paired by box with thunder-256's (IoU >= %.1f), COCO "
                            + "sigmas, the reference box's area; persons with no keypoint above 0.2 left out. "
                            + "Heights: the reference person's detector box.%n%n",
                    jpegs.size(), SampleRtspCamera.DEFAULT_VIDEO.getFileName(), PoseAgreement.MIN_IOU);
            table.print(System.out);
            return 0;
        } finally {
            PathUtils.deleteDirectory(variants);
        }
    }

    private static Object[] row(
            String name, LoadedModel pose, List<FrameOutcome> outcomes, List<FrameOutcome> reference) {
        double poseMs = 0;
        int crops = 0;
        PoseAgreement all = PoseAgreement.NONE;
        PoseAgreement[] byHeight = new PoseAgreement[HEIGHTS.length - 1];
        java.util.Arrays.fill(byHeight, PoseAgreement.NONE);
        for (int f = 0; f < outcomes.size(); f++) {
            FrameOutcome outcome = outcomes.get(f);
            poseMs += outcome.times().poseMs();
            crops += outcome.crops();
            List<PosedPerson> ref = reference.get(f).persons();
            all = all.plus(PoseAgreement.of(ref, outcome.persons()));
            for (int h = 0; h < byHeight.length; h++) {
                double low = HEIGHTS[h];
                double high = HEIGHTS[h + 1];
                List<PosedPerson> band = ref.stream()
                        .filter(p -> p.box().y2() - p.box().y1() >= low
                                && p.box().y2() - p.box().y1() < high)
                        .toList();
                byHeight[h] = byHeight[h].plus(PoseAgreement.of(band, outcome.persons()));
            }
        }
        return new Object[] {
            name,
            pose.metadata().inputWidth() + "x" + pose.metadata().inputHeight(),
            String.format("%.2f", GraphStats.macs(pose.graph()) / 1e9),
            crops > 0 ? poseMs / crops : 0.0,
            all.matched(),
            oks(all),
            oks(byHeight[0]),
            oks(byHeight[1]),
            oks(byHeight[2])
        };
    }

    private static String oks(PoseAgreement agreement) {
        return agreement.matched() == 0 ? "-" : String.format("%.3f (%d)", agreement.meanOks(), agreement.matched());
    }
}
