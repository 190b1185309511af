package io.posestream.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.StageTimings;
import io.posestream.inference.crops.CropPlan;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The worker's Prometheus metrics: frames by outcome, dead letters, persons, per-stage time and the batch sizes
 * achieved. Consumer lag comes from the Kafka client's own metrics, bound next to these by the command.
 */
public final class InferenceMetrics {
    private final Map<FrameStatus, Counter> frames = new EnumMap<>(FrameStatus.class);
    private final Counter malformed;
    private final Counter deadLetters;
    private final Counter persons;
    private final Counter rewinds;
    private final Map<CropPlan.Reason, Counter> detected = new EnumMap<>(CropPlan.Reason.class);
    private final DistributionSummary batchFrames;
    private final DistributionSummary batchCrops;
    private final Timer queue;
    private final Timer decode;
    private final Timer detect;
    private final Timer crop;
    private final Timer pose;
    private final Timer heatmapDecode;
    private final Timer total;
    private final Map<String, Timer> poseStages;

    public InferenceMetrics(MeterRegistry registry) {
        for (FrameStatus status : FrameStatus.values()) {
            frames.put(
                    status,
                    Counter.builder("posestream.inference.frames")
                            .tag("status", status.name().toLowerCase())
                            .description("Frames answered with a PoseFrame, by status")
                            .register(registry));
        }
        malformed = Counter.builder("posestream.inference.malformed.records")
                .description("Input records that are not Avro frames (sent to the dead-letter topic)")
                .register(registry);
        deadLetters = Counter.builder("posestream.inference.dead.letters")
                .description("Raw input records written to the dead-letter topic")
                .register(registry);
        persons = Counter.builder("posestream.inference.persons")
                .description("Persons published")
                .register(registry);
        rewinds = Counter.builder("posestream.inference.transaction.retries")
                .description("Batches aborted and read again after a retriable Kafka error")
                .register(registry);
        for (CropPlan.Reason reason : CropPlan.Reason.values()) {
            detected.put(
                    reason,
                    Counter.builder("posestream.inference.detector.frames")
                            .tag("reason", reason.name().toLowerCase())
                            .description("Frames the person detector ran on, by why; the other posed frames were "
                                    + "cropped where their camera's tracked persons were")
                            .register(registry));
        }
        batchFrames = DistributionSummary.builder("posestream.inference.batch.frames")
                .description("Frames processed together")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        batchCrops = DistributionSummary.builder("posestream.inference.batch.crops")
                .description("Person crops sent to the pose network per batch of frames")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        queue = stage(registry, "queue");
        decode = stage(registry, "decode");
        detect = stage(registry, "detect");
        crop = stage(registry, "crop");
        pose = stage(registry, "pose");
        heatmapDecode = stage(registry, "heatmap_decode");
        total = stage(registry, "total");
        Map<String, Timer> stages = new LinkedHashMap<>();
        stages.put("decode", decode);
        stages.put("detect", detect);
        stages.put("crop", crop);
        stages.put("pose", pose);
        stages.put("heatmap_decode", heatmapDecode);
        poseStages = Collections.unmodifiableMap(stages);
    }

    /** The timers of the stages a posed frame goes through, in pipeline order, keyed by their {@code stage} tag. */
    public Map<String, Timer> poseStages() {
        return poseStages;
    }

    private static Timer stage(MeterRegistry registry, String stage) {
        return Timer.builder("posestream.inference.stage")
                .tag("stage", stage)
                .description("Time per frame in each inference stage")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void answered(FrameStatus status, int personCount, StageTimings timings) {
        frames.get(status).increment();
        persons.increment(personCount);
        record(queue, timings.getQueueMs());
        if (status == FrameStatus.POSED) {
            record(decode, timings.getDecodeMs());
            record(detect, timings.getDetectMs());
            record(crop, timings.getCropMs());
            record(pose, timings.getPoseMs());
            record(heatmapDecode, timings.getHeatmapDecodeMs());
        }
        record(total, timings.getTotalMs());
    }

    void batch(int frameCount, int cropCount, List<CropPlan.Reason> detections) {
        batchFrames.record(frameCount);
        batchCrops.record(cropCount);
        detections.forEach(reason -> detected.get(reason).increment());
    }

    void malformed() {
        malformed.increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    void rewound() {
        rewinds.increment();
    }

    /** Frames answered with {@code status} so far. */
    public long frames(FrameStatus status) {
        return (long) frames.get(status).count();
    }

    /** Person crops sent to the pose network so far. */
    public long crops() {
        return (long) batchCrops.totalAmount();
    }

    /** Frames the detector ran on so far (the rest of the posed frames were cropped from tracked persons). */
    public long detectedFrames() {
        return (long) detected.values().stream().mapToDouble(Counter::count).sum();
    }

    /** Frames the detector ran on so far because of {@code reason}. */
    public long detectedFrames(CropPlan.Reason reason) {
        return (long) detected.get(reason).count();
    }

    public long malformedRecords() {
        return (long) malformed.count();
    }

    public long deadLetters() {
        return (long) deadLetters.count();
    }

    private static void record(Timer timer, float ms) {
        timer.record((long) (ms * 1000), TimeUnit.MICROSECONDS);
    }
}
