package io.posestream.inference.worker;

import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.inference.crops.CropPlan;
import io.posestream.inference.pipeline.FrameOutcome;
import io.posestream.inference.pipeline.PosedPerson;
import io.posestream.inference.pipeline.StageTimes;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The worker's decisions, apart from its I/O: which frames of a batch cost nothing to answer, and what each record of
 * a batch is answered with once the pipeline has posed the frames taken on the batch's budget. One {@link PoseFrame}
 * per frame (POSED, SKIPPED_STALE with the reason, or UNDECODABLE), plus a dead letter for every record that is not
 * a frame and every frame whose image does not decode. Pure: clock readings come in as arguments, nothing is sent.
 */
final class BatchAnswers {
    static final String STAGE = "inference";

    private final String dlqTopic;
    private final long staleMs;
    private final String detectorModel;
    private final String poseModel;

    /**
     * @param dlqTopic      where dead letters go
     * @param staleMs       frames older than this when taken are not posed; 0 poses every frame
     * @param detectorModel the detector's name, written into every PoseFrame
     * @param poseModel     the pose model's name, likewise
     */
    BatchAnswers(String dlqTopic, long staleMs, String detectorModel, String poseModel) {
        this.dlqTopic = dlqTopic;
        this.staleMs = staleMs;
        this.detectorModel = detectorModel;
        this.poseModel = poseModel;
    }

    /** True for a record answered without posing: not a frame, or a frame too old when the worker takes it. */
    boolean costsNothing(Arrival arrival, long takenAt) {
        return arrival.frame() == null || (staleMs > 0 && arrival.ageMs(takenAt) > staleMs);
    }

    /**
     * What a record of the batch is answered with, in input order: a PoseFrame for a frame, a dead letter for a record
     * that cannot be answered as a frame or whose image is unreadable (an unreadable image gets both).
     */
    sealed interface Reply {
        /** The PoseFrame answering {@code arrival}'s frame. */
        record Answer(Arrival arrival, PoseFrame pose) implements Reply {}

        /** A raw record for the dead-letter topic. */
        record DeadLetter(ProducerRecord<byte[], byte[]> record) implements Reply {}
    }

    /**
     * A batch's replies and what to count once they are committed.
     *
     * @param replies     in input order
     * @param posedFrames frames run through the pipeline
     * @param crops       person crops the pose network was given
     * @param detected    why the person detector ran, once per frame it ran on (the other posed frames were cropped
     *                    where their camera's tracked persons were)
     * @param malformed   records that were not Avro frames
     */
    record Answered(List<Reply> replies, int posedFrames, int crops, List<CropPlan.Reason> detected, int malformed) {
        List<PoseFrame> answers() {
            return replies.stream()
                    .filter(r -> r instanceof Reply.Answer)
                    .map(r -> ((Reply.Answer) r).pose())
                    .toList();
        }

        int deadLetters() {
            return (int)
                    replies.stream().filter(r -> r instanceof Reply.DeadLetter).count();
        }

        /** Adds the batch to the worker's meters; called only after the batch is committed. */
        void count(InferenceMetrics metrics) {
            if (posedFrames > 0) {
                metrics.batch(posedFrames, crops, detected);
            }
            answers()
                    .forEach(p -> metrics.answered(p.getStatus(), p.getPersons().size(), p.getTimings()));
            for (int i = 0; i < malformed; i++) {
                metrics.malformed();
            }
            for (int i = 0, n = deadLetters(); i < n; i++) {
                metrics.deadLetter();
            }
        }
    }

    /**
     * Answers every record of {@code batch}.
     *
     * @param batch    the records taken, with those taken on the budget, those superseded and those passed over
     * @param outcomes the pipeline's outcome for each of {@code batch.budgeted()}, in the same order
     * @param takenAt  wall-clock millis when the batch was taken (ages and queue times are measured to it)
     * @param now      wall-clock millis when the answers are built
     */
    Answered answer(PendingFrames.Batch batch, List<FrameOutcome> outcomes, long takenAt, long now) {
        List<Arrival> budgeted = batch.budgeted();
        if (outcomes.size() != budgeted.size()) {
            throw new IllegalArgumentException(
                    budgeted.size() + " frames were posed but " + outcomes.size() + " outcomes came back");
        }
        Map<Arrival, FrameOutcome> posed = new HashMap<>();
        for (int i = 0; i < budgeted.size(); i++) {
            posed.put(budgeted.get(i), outcomes.get(i));
        }
        List<Reply> replies = new ArrayList<>(batch.items().size());
        int malformed = 0;
        for (Arrival arrival : batch.items()) {
            if (arrival.frame() == null) {
                malformed++;
                replies.add(deadLetter(arrival, "MalformedRecord", "not an Avro Frame: " + arrival.unreadable()));
                continue;
            }
            FrameOutcome outcome = posed.get(arrival);
            if (outcome == null) {
                String turn = batch.passedOver().get(arrival);
                String why = batch.superseded().contains(arrival)
                        ? "superseded by a newer frame of " + arrival.frame().getCameraId() + " (the worker is behind; "
                                + arrival.ageMs(takenAt) + " ms old)"
                        : turn != null
                                ? "passed over: " + turn + ", behind it in the same partition, had waited longer for "
                                        + "its turn (the worker is behind; " + arrival.ageMs(takenAt) + " ms old)"
                                : "frame was " + arrival.ageMs(takenAt) + " ms old when the worker took it (limit "
                                        + staleMs + " ms)";
                replies.add(answer(arrival, FrameStatus.SKIPPED_STALE, why, null, takenAt, now));
            } else if (!outcome.decoded()) {
                replies.add(answer(arrival, FrameStatus.UNDECODABLE, outcome.error(), outcome, takenAt, now));
                replies.add(deadLetter(arrival, "UndecodableImage", outcome.error()));
            } else {
                replies.add(answer(arrival, FrameStatus.POSED, null, outcome, takenAt, now));
            }
        }
        int crops = outcomes.stream().mapToInt(FrameOutcome::crops).sum();
        List<CropPlan.Reason> detected = outcomes.stream()
                .filter(FrameOutcome::detected)
                .map(FrameOutcome::detectedBecause)
                .toList();
        return new Answered(List.copyOf(replies), budgeted.size(), crops, detected, malformed);
    }

    private Reply deadLetter(Arrival arrival, String errorClass, String message) {
        return new Reply.DeadLetter(DeadLetters.of(dlqTopic, arrival.record(), STAGE, errorClass, message));
    }

    private Reply answer(
            Arrival arrival, FrameStatus status, String detail, FrameOutcome outcome, long takenAt, long now) {
        Frame frame = arrival.frame();
        StageTimes times = outcome == null ? new StageTimes(0, 0, 0, 0, 0) : outcome.times();
        StageTimings timings = new StageTimings(
                (float) arrival.ageMs(takenAt),
                (float) times.decodeMs(),
                (float) times.detectMs(),
                (float) times.poseMs(),
                (float) (now - takenAt),
                (float) times.cropMs(),
                (float) times.heatmapDecodeMs());
        boolean decoded = outcome != null && outcome.decoded();
        PoseFrame pose = PoseFrame.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSeq(frame.getSeq())
                .setCaptureTime(frame.getCaptureTime())
                .setProcessedTime(Instant.ofEpochMilli(now))
                .setWidth(decoded ? outcome.width() : frame.getWidth())
                .setHeight(decoded ? outcome.height() : frame.getHeight())
                .setStatus(status)
                .setStatusDetail(detail)
                .setDetectorModel(detectorModel)
                .setPoseModel(poseModel)
                .setTimings(timings)
                .setPersons(status == FrameStatus.POSED ? persons(outcome.persons()) : List.of())
                .build();
        return new Reply.Answer(arrival, pose);
    }

    /** The pipeline's persons in the Avro contract. */
    static List<Person> persons(List<PosedPerson> posed) {
        List<Person> persons = new ArrayList<>(posed.size());
        for (PosedPerson p : posed) {
            DecodedPose pose = p.keypoints();
            List<Keypoint> keypoints = new ArrayList<>(pose.size());
            for (int k = 0; k < pose.size(); k++) {
                keypoints.add(new Keypoint(pose.x()[k], pose.y()[k], unit(pose.scores()[k])));
            }
            Box box = new Box(p.box().x1(), p.box().y1(), p.box().x2(), p.box().y2());
            persons.add(new Person(box, unit(p.score()), keypoints, AppearanceDescriptor.toList(p.appearance())));
        }
        return persons;
    }

    /** Scores on the topic are in [0, 1]; HRNet's raw heatmap peaks can stray slightly outside. */
    private static float unit(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
