package io.posestream.inference.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.inference.SampleImages;
import io.posestream.inference.TestModels;
import io.posestream.inference.crops.CropPlan;
import io.posestream.inference.crops.CropPlanner;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.schemas.AppearanceDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The top-down pipeline on real images with the real pretrained models (CenterNet, MoveNet-Thunder decoding its own
 * keypoints), with the detector on every frame and with tracking-driven crops.
 */
class TopDownPipelineTest {
    private static final PersonDetector.Settings DETECTOR = new PersonDetector.Settings(0.3f, 0.5f, 8);
    private static LoadedModel detector;
    private static LoadedModel pose;
    private static TopDownPipeline pipeline;

    @BeforeAll
    static void load() {
        detector = TestModels.detector();
        pose = TestModels.pose();
        pipeline = pipeline(new PoseEstimator.Settings(8, false, true));
    }

    @AfterAll
    static void close() {
        detector.close();
        pose.close();
    }

    private static TopDownPipeline pipeline(PoseEstimator.Settings poseSettings) {
        return new TopDownPipeline(
                new PersonDetector(detector, DETECTOR),
                new PoseEstimator(pose, poseSettings),
                TopDownPipeline.Settings.HRNET);
    }

    @Test
    void findsThePedestriansOfAVideoFrame() {
        FrameOutcome outcome = pipeline.process(SampleImages.videoFrames(1)).get(0);

        assertThat(outcome.decoded()).isTrue();
        assertThat(outcome.width()).isEqualTo(768);
        assertThat(outcome.height()).isEqualTo(576);
        assertThat(outcome.persons()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(outcome.persons()).extracting(PosedPerson::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        for (PosedPerson person : outcome.persons()) {
            assertThat(person.keypoints().size()).isEqualTo(17);
            assertThat(person.score()).isBetween(0f, 1f);
        }
        assertThat(outcome.times().detectMs()).isPositive();
        assertThat(outcome.times().poseMs()).isPositive();
    }

    @Test
    void keypointsOnARealPhotoArePlausible() {
        FrameOutcome outcome = pipeline.process(List.of(SampleImages.photo())).get(0);

        assertThat(outcome.persons()).isNotEmpty();
        PosedPerson player = outcome.persons().get(0);
        var box = player.box();
        float bw = box.x2() - box.x1();
        float bh = box.y2() - box.y1();
        DecodedPose k = player.keypoints();
        for (int j = 0; j < k.size(); j++) {
            assertThat(k.x()[j]).isBetween(box.x1() - 0.1f * bw, box.x2() + 0.1f * bw);
            assertThat(k.y()[j]).isBetween(box.y1() - 0.1f * bh, box.y2() + 0.1f * bh);
        }
        float head = k.y()[0];
        float hips = (k.y()[11] + k.y()[12]) / 2;
        float ankles = (k.y()[15] + k.y()[16]) / 2;
        assertThat(head).isLessThan(hips);
        assertThat(hips).isLessThan(ankles);
        assertThat(player.score()).isGreaterThan(0.3f);
    }

    @Test
    void theSameFrameTwiceGivesTheSamePoses() {
        byte[] frame = SampleImages.videoFrames(3).get(2);
        List<FrameOutcome> outcomes = pipeline.process(List.of(frame, frame));

        assertThat(outcomes.get(0).persons()).isNotEmpty();
        assertThat(outcomes.get(1).persons()).isEqualTo(outcomes.get(0).persons());
        // Alone, the detector runs at batch 1, whose float arithmetic differs from batch 2 in the last bits; the
        // boxes move by 1e-4 px and MoveNet's offset regression, being continuous, passes that on.
        assertSamePoses(
                outcomes.get(0).persons(),
                pipeline.process(List.of(frame)).get(0).persons(),
                5e-2f);
    }

    @Test
    void aBatchOfEightEqualsEightSingleCalls() {
        PoseEstimator batched = new PoseEstimator(pose, new PoseEstimator.Settings(8, false, true));
        PoseEstimator single = new PoseEstimator(pose, new PoseEstimator.Settings(1, false, true));
        float[] crops = new float[8 * batched.cropSize()];
        // Eight different crops: real pixels, each image shifted, so a mix-up between batch items would show.
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < crops.length; i++) {
            crops[i] = random.nextInt(256);
        }

        float[] one = single.outputs(crops, 8);
        float[] eight = batched.outputs(crops, 8);

        assertThat(eight).hasSize(8 * batched.outputSize());
        float worst = 0;
        for (int i = 0; i < one.length; i++) {
            worst = Math.max(worst, Math.abs(one[i] - eight[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-4f);
        // And the items differ from each other, so the comparison is not between equal heatmaps.
        assertThat(Arrays.copyOfRange(eight, 0, batched.outputSize()))
                .isNotEqualTo(Arrays.copyOfRange(eight, batched.outputSize(), 2 * batched.outputSize()));
    }

    @Test
    void aPedestrianKeepsTheirClothingColoursFromFrameToFrame() {
        // The sample frames are half a second apart; each frame's persons against the next one's.
        List<FrameOutcome> outcomes = pipeline.process(SampleImages.videoFrames(4));
        List<Double> same = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        for (int f = 0; f + 1 < outcomes.size(); f++) {
            for (PosedPerson a : outcomes.get(f).persons()) {
                float height = a.box().y2() - a.box().y1();
                for (PosedPerson b : outcomes.get(f + 1).persons()) {
                    double colours = AppearanceDescriptor.similarity(a.appearance(), b.appearance());
                    double apart = Math.hypot(
                            (a.box().x1() + a.box().x2()) / 2
                                    - (b.box().x1() + b.box().x2()) / 2,
                            (a.box().y1() + a.box().y2()) / 2
                                    - (b.box().y1() + b.box().y2()) / 2);
                    if (Double.isNaN(colours) || a.score() < 0.25 || b.score() < 0.25) {
                        continue; // Clutter and unsure fragments.
                    }
                    // Half a second on, a walker has moved under half their height; anyone further is someone else.
                    if (apart < 0.5 * height) {
                        same.add(colours);
                    } else if (apart > 1.5 * height) {
                        others.add(colours);
                    }
                }
            }
        }
        assertThat(same).hasSizeGreaterThanOrEqualTo(3);
        assertThat(others).isNotEmpty();
        double sameMean =
                same.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double othersMean =
                others.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(sameMean).isGreaterThan(0.85);
        assertThat(sameMean).isGreaterThan(othersMean + 0.1);
    }

    @Test
    void batchingAcrossFramesChangesNothing() {
        List<byte[]> frames = SampleImages.videoFrames(4);
        List<FrameOutcome> together = pipeline.process(frames);
        TopDownPipeline oneCropAtATime = pipeline(new PoseEstimator.Settings(1, false, true));
        for (int f = 0; f < frames.size(); f++) {
            List<PosedPerson> alone =
                    oneCropAtATime.process(List.of(frames.get(f))).get(0).persons();
            assertSamePoses(together.get(f).persons(), alone, 5e-2f);
        }
    }

    @Test
    void theFlipTestMovesKeypointsOnlySlightly() {
        byte[] photo = SampleImages.photo();
        PosedPerson plain = pipeline.process(List.of(photo)).get(0).persons().get(0);
        PosedPerson flipped = pipeline(new PoseEstimator.Settings(8, true, true))
                .process(List.of(photo))
                .get(0)
                .persons()
                .get(0);

        float height = plain.box().y2() - plain.box().y1();
        List<Float> moves = new ArrayList<>();
        DecodedPose a = plain.keypoints();
        DecodedPose b = flipped.keypoints();
        for (int j = 0; j < 17; j++) {
            moves.add((float) Math.hypot(a.x()[j] - b.x()[j], a.y()[j] - b.y()[j]));
        }
        moves.sort(Float::compare);
        assertThat(moves.get(8)).as("median keypoint move").isLessThan(0.05f * height);
        assertThat(flipped.score()).isCloseTo(plain.score(), within(0.15f));
    }

    @Test
    void trackingDrivenCropsAgreeWithTheDetectorOnEveryFrameAndSkipItOnMostFrames() {
        // The worker's default crop settings, on one camera's frames 500 ms apart (what a busy worker poses).
        CropPlanner planner = new CropPlanner(new InferenceConfig(Map.of(
                        InferenceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9",
                        InferenceConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9",
                        InferenceConfig.DETECTOR_DIR, "unused",
                        InferenceConfig.POSE_DIR, "unused"))
                .cropSettings());
        List<byte[]> frames = SampleImages.videoFrames(24);
        PoseAgreement all = PoseAgreement.NONE;
        PoseAgreement tracked = PoseAgreement.NONE;
        int detected = 0;
        for (int f = 0; f < frames.size(); f++) {
            List<PosedPerson> reference =
                    pipeline.process(List.of(frames.get(f))).get(0).persons();
            FrameOutcome outcome = pipeline.process(List.of(new FrameInput("cam1", 500L * f, frames.get(f))), planner)
                    .get(0);
            planner.commit();
            PoseAgreement agreement = PoseAgreement.of(reference, outcome.persons());
            all = all.plus(agreement);
            if (outcome.detected()) {
                detected++;
                assertThat(outcome.times().detectMs()).isPositive();
            } else {
                tracked = tracked.plus(agreement);
                assertThat(outcome.times().detectMs()).isZero();
            }
        }
        System.out.printf(
                "Tracking-driven crops on %d vtest frames 500 ms apart: detector on %d; all frames: mean OKS %.3f over "
                        + "%d pairs, recall %.2f, precision %.2f; tracked frames only: mean OKS %.3f over %d pairs, "
                        + "recall %.2f%n",
                frames.size(),
                detected,
                all.meanOks(),
                all.matched(),
                all.recall(),
                all.precision(),
                tracked.meanOks(),
                tracked.matched(),
                tracked.recall());
        assertThat(detected).as("the detector skipped on some frames").isLessThan(frames.size() * 3 / 4);
        assertThat(tracked.matched()).as("persons posed on tracked crops").isGreaterThan(30);
        assertThat(all.meanOks())
                .as("mean OKS against the detector on every frame")
                .isGreaterThanOrEqualTo(0.9);
        assertThat(tracked.meanOks()).as("mean OKS on the tracked frames alone").isGreaterThanOrEqualTo(0.85);
        assertThat(all.recall()).as("share of the persons found").isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void twoFramesOfOneCameraInABatchAreTakenInTurnSoTheSecondFollowsTheFirst() {
        CropPlanner planner = new CropPlanner(new CropPlanner.Settings(4, 2000, 0.2f, 6, 25, 0.004, 0.3));
        byte[] frame = SampleImages.videoFrames(1).get(0);

        List<FrameOutcome> outcomes = pipeline.process(
                List.of(new FrameInput("cam1", 0, frame), new FrameInput("cam1", 100, frame)), planner);

        assertThat(outcomes.get(0).detectedBecause()).isEqualTo(CropPlan.Reason.NO_STATE);
        assertThat(outcomes.get(1).detected())
                .as("planned after the first was observed: the same picture, cropped from its persons")
                .isFalse();
        assertThat(PoseAgreement.of(outcomes.get(0).persons(), outcomes.get(1).persons())
                        .meanOks())
                .isGreaterThan(0.9);
    }

    @Test
    void anUndecodableImageIsReportedAndTheOthersArePosed() {
        byte[] good = SampleImages.videoFrames(1).get(0);
        byte[] truncated = Arrays.copyOf(good, 200);
        List<FrameOutcome> outcomes = pipeline.process(List.of(new byte[] {1, 2, 3}, good, truncated, new byte[0]));

        assertThat(outcomes.get(0).decoded()).isFalse();
        assertThat(outcomes.get(0).error()).contains("not a JPEG or PNG: 3 bytes");
        assertThat(outcomes.get(1).decoded()).isTrue();
        assertThat(outcomes.get(1).persons()).isNotEmpty();
        assertThat(outcomes.get(3).error()).contains("empty");
        assertThat(outcomes.get(0).persons()).isEmpty();
        // A JPEG cut short still decodes (grey below the cut) or is refused; either way it is answered.
        assertThat(outcomes).hasSize(4);
    }

    private static void assertSamePoses(List<PosedPerson> expected, List<PosedPerson> actual, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.get(p).score()).isCloseTo(expected.get(p).score(), within(tolerance));
            DecodedPose a = expected.get(p).keypoints();
            DecodedPose b = actual.get(p).keypoints();
            for (int j = 0; j < 17; j++) {
                assertThat(b.x()[j]).isCloseTo(a.x()[j], within(tolerance));
                assertThat(b.y()[j]).isCloseTo(a.y()[j], within(tolerance));
            }
        }
    }
}
