package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.inference.crops.CropPlan;
import io.posestream.inference.model.Detection;
import io.posestream.inference.pipeline.FrameOutcome;
import io.posestream.inference.pipeline.PosedPerson;
import io.posestream.inference.pipeline.StageTimes;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.DeadLetters;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What each record of a batch is answered with, decided on hand-made batches and outcomes, no broker, no model. */
class BatchAnswersTest {
    private static final long TAKEN_AT = 100_000;
    private static final long NOW = 100_250;
    private static final long STALE_MS = 5_000;
    private final BatchAnswers answers = new BatchAnswers("frames.dlq", STALE_MS, "centernet", "movenet");

    /** A frame of {@code camera} at {@code offset}, captured {@code ageMs} before the batch is taken. */
    private static Arrival frame(long offset, String camera, long ageMs) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("frames", 0, offset, camera.getBytes(), new byte[] {1, 2, 3});
        Frame frame = Frame.newBuilder()
                .setCameraId(camera)
                .setSeq(offset)
                .setCaptureTime(Instant.ofEpochMilli(TAKEN_AT - ageMs))
                .setPts(-1)
                .setWidth(640)
                .setHeight(480)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
        return new Arrival(record, TAKEN_AT - 10, frame, null);
    }

    private static Arrival malformed(long offset) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("frames", 0, offset, null, new byte[] {9});
        return new Arrival(record, TAKEN_AT, null, "Unknown magic byte!");
    }

    private static PosedPerson person(float score, float keypointScore) {
        float[] x = new float[17];
        float[] y = new float[17];
        float[] s = new float[17];
        for (int k = 0; k < 17; k++) {
            x[k] = 100 + k;
            y[k] = 200 + k;
            s[k] = keypointScore;
        }
        return new PosedPerson(new Detection(90, 190, 130, 330, 0.8f), score, new DecodedPose(x, y, s));
    }

    private static FrameOutcome posed(PosedPerson... persons) {
        return new FrameOutcome(
                768,
                576,
                List.of(persons),
                persons.length,
                new StageTimes(1, 40, 2, 90, 1),
                null,
                CropPlan.Reason.EVERY_FRAME);
    }

    @Test
    void everyFrameGetsOneAnswerInInputOrderAndOnlyTheBudgetedOnesArePosed() {
        Arrival a = frame(0, "cam1", 100);
        Arrival b = frame(1, "cam1", 80);
        Arrival c = frame(2, "cam2", 60);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a, b, c), List.of(b, c), Set.of(), Map.of());

        BatchAnswers.Answered answered =
                answers.answer(batch, List.of(posed(person(0.6f, 0.7f)), posed()), TAKEN_AT, NOW);

        assertThat(answered.answers()).extracting(PoseFrame::getSeq).containsExactly(0L, 1L, 2L);
        assertThat(answered.answers())
                .extracting(PoseFrame::getStatus)
                .containsExactly(FrameStatus.SKIPPED_STALE, FrameStatus.POSED, FrameStatus.POSED);
        assertThat(answered.answers().get(1).getPersons()).hasSize(1);
        assertThat(answered.answers().get(2).getPersons()).isEmpty();
        assertThat(answered.posedFrames()).isEqualTo(2);
        assertThat(answered.crops()).isEqualTo(1);
        assertThat(answered.deadLetters()).isZero();
    }

    @Test
    void framesTheDetectorRanOnAreCountedWithWhyAndTrackedOnesAreNot() {
        Arrival a = frame(0, "cam1", 100);
        Arrival b = frame(1, "cam2", 100);
        Arrival c = frame(2, "cam3", 100);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a, b, c), List.of(a, b, c), Set.of(), Map.of());
        FrameOutcome tracked =
                new FrameOutcome(768, 576, List.of(person(0.6f, 0.7f)), 1, new StageTimes(1, 0, 2, 90, 1), null, null);
        FrameOutcome first = new FrameOutcome(
                768, 576, List.of(), 0, new StageTimes(1, 40, 2, 0, 1), null, CropPlan.Reason.NO_STATE);

        BatchAnswers.Answered answered = answers.answer(batch, List.of(tracked, first, posed()), TAKEN_AT, NOW);

        assertThat(answered.detected()).containsExactly(CropPlan.Reason.NO_STATE, CropPlan.Reason.EVERY_FRAME);
        assertThat(answered.answers()).extracting(PoseFrame::getStatus).containsOnly(FrameStatus.POSED);
        assertThat(answered.answers().get(0).getTimings().getDetectMs()).isZero();
    }

    @Test
    void aPosedFrameCarriesTheModelsTheImageSizeAndItsStageTimings() {
        Arrival a = frame(7, "cam1", 300);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a), List.of(a), Set.of(), Map.of());

        PoseFrame pose = answers.answer(batch, List.of(posed(person(0.5f, 0.9f))), TAKEN_AT, NOW)
                .answers()
                .get(0);

        assertThat(pose.getCameraId()).isEqualTo("cam1");
        assertThat(pose.getDetectorModel()).isEqualTo("centernet");
        assertThat(pose.getPoseModel()).isEqualTo("movenet");
        assertThat(pose.getWidth()).isEqualTo(768);
        assertThat(pose.getHeight()).isEqualTo(576);
        assertThat(pose.getProcessedTime()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(pose.getTimings().getQueueMs()).isEqualTo(300f);
        assertThat(pose.getTimings().getTotalMs()).isEqualTo(250f);
        assertThat(pose.getTimings().getDetectMs()).isEqualTo(40f);
        assertThat(pose.getTimings().getPoseMs()).isEqualTo(90f);
        assertThat(pose.getStatusDetail()).isNull();
    }

    @Test
    void scoresOutsideTheUnitIntervalAreClampedOnTheWayToTheTopic() {
        Arrival a = frame(0, "cam1", 10);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a), List.of(a), Set.of(), Map.of());

        Person person = answers.answer(batch, List.of(posed(person(1.2f, 1.05f))), TAKEN_AT, NOW)
                .answers()
                .get(0)
                .getPersons()
                .get(0);

        assertThat(person.getScore()).isEqualTo(1f);
        assertThat(person.getKeypoints())
                .hasSize(17)
                .allSatisfy(k -> assertThat(k.getScore()).isEqualTo(1f));
        assertThat(person.getKeypoints().get(3).getX()).isEqualTo(103f);
        assertThat(person.getBox().getY2()).isEqualTo(330f);
    }

    @Test
    void aPersonsColoursGoToTheTopicAndAPersonWithoutThemHasNone() {
        Arrival a = frame(0, "cam1", 10);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a), List.of(a), Set.of(), Map.of());
        float[] colours = new float[AppearanceDescriptor.LENGTH];
        colours[3] = 1;
        colours[AppearanceDescriptor.BINS + 12] = 1;
        PosedPerson plain = person(0.6f, 0.8f);
        PosedPerson dressed = new PosedPerson(plain.box(), plain.score(), plain.keypoints(), colours);

        List<Person> persons = answers.answer(batch, List.of(posed(dressed, plain)), TAKEN_AT, NOW)
                .answers()
                .get(0)
                .getPersons();

        assertThat(AppearanceDescriptor.of(persons.get(0).getAppearance())).containsExactly(colours);
        assertThat(persons.get(1).getAppearance()).isNull();
    }

    @Test
    void staleSupersededAndPassedOverFramesSayWhyTheyWereSkipped() {
        Arrival old = frame(0, "cam1", 9_000);
        Arrival superseded = frame(1, "cam2", 700);
        Arrival passed = frame(2, "cam3", 400);
        Arrival newest = frame(3, "cam2", 100);
        PendingFrames.Batch batch = new PendingFrames.Batch(
                List.of(old, superseded, passed, newest), List.of(newest), Set.of(superseded), Map.of(passed, "cam2"));

        List<PoseFrame> poses =
                answers.answer(batch, List.of(posed()), TAKEN_AT, NOW).answers();

        assertThat(poses.get(0).getStatus()).isEqualTo(FrameStatus.SKIPPED_STALE);
        assertThat(poses.get(0).getStatusDetail()).contains("9000 ms old").contains("limit 5000 ms");
        assertThat(poses.get(1).getStatus()).isEqualTo(FrameStatus.SKIPPED_STALE);
        assertThat(poses.get(1).getStatusDetail()).contains("superseded").contains("cam2");
        assertThat(poses.get(2).getStatus()).isEqualTo(FrameStatus.SKIPPED_STALE);
        assertThat(poses.get(2).getStatusDetail())
                .contains("passed over")
                .contains("cam2")
                .contains("400 ms old");
        assertThat(poses.get(3).getStatus()).isEqualTo(FrameStatus.POSED);
        assertThat(poses.get(0).getPersons()).isEmpty();
        // A skipped frame keeps the size its producer stated.
        assertThat(poses.get(0).getWidth()).isEqualTo(640);
    }

    @Test
    void anUndecodableImageIsAnsweredAndItsRawRecordGoesToTheDeadLetterTopic() {
        Arrival a = frame(4, "cam1", 10);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a), List.of(a), Set.of(), Map.of());
        FrameOutcome broken = new FrameOutcome(0, 0, List.of(), 0, new StageTimes(0.5, 0, 0, 0, 0), "not a JPEG", null);

        BatchAnswers.Answered answered = answers.answer(batch, List.of(broken), TAKEN_AT, NOW);

        assertThat(answered.replies()).hasSize(2);
        PoseFrame pose = answered.answers().get(0);
        assertThat(pose.getStatus()).isEqualTo(FrameStatus.UNDECODABLE);
        assertThat(pose.getStatusDetail()).isEqualTo("not a JPEG");
        ProducerRecord<byte[], byte[]> dead =
                ((BatchAnswers.Reply.DeadLetter) answered.replies().get(1)).record();
        assertThat(dead.topic()).isEqualTo("frames.dlq");
        assertThat(dead.value()).containsExactly(1, 2, 3);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS_HEADER))
                .isEqualTo("UndecodableImage");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET_HEADER))
                .isEqualTo("4");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE_HEADER)).isEqualTo("inference");
        assertThat(answered.deadLetters()).isEqualTo(1);
    }

    @Test
    void aRecordThatIsNotAFrameOnlyGoesToTheDeadLetterTopicAndIsCounted() {
        Arrival bad = malformed(3);
        Arrival good = frame(4, "cam1", 10);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(bad, good), List.of(good), Set.of(), Map.of());

        BatchAnswers.Answered answered = answers.answer(batch, List.of(posed()), TAKEN_AT, NOW);

        assertThat(answered.replies()).hasSize(2);
        ProducerRecord<byte[], byte[]> dead =
                ((BatchAnswers.Reply.DeadLetter) answered.replies().get(0)).record();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE_HEADER))
                .isEqualTo("not an Avro Frame: Unknown magic byte!");
        assertThat(answered.malformed()).isEqualTo(1);
        assertThat(answered.answers()).extracting(PoseFrame::getSeq).containsExactly(4L);
    }

    @Test
    void onlyUnreadableRecordsAndFramesPastTheStaleLimitCostNothing() {
        assertThat(answers.costsNothing(malformed(0), TAKEN_AT)).isTrue();
        assertThat(answers.costsNothing(frame(0, "cam", STALE_MS + 1), TAKEN_AT))
                .isTrue();
        assertThat(answers.costsNothing(frame(0, "cam", STALE_MS), TAKEN_AT)).isFalse();
        BatchAnswers posesAll = new BatchAnswers("frames.dlq", 0, "d", "p");
        assertThat(posesAll.costsNothing(frame(0, "cam", 1_000_000), TAKEN_AT)).isFalse();
    }

    @Test
    void outcomesThatDoNotMatchTheBudgetedFramesAreRefused() {
        Arrival a = frame(0, "cam1", 10);
        PendingFrames.Batch batch = new PendingFrames.Batch(List.of(a), List.of(a), Set.of(), Map.of());

        assertThatThrownBy(() -> answers.answer(batch, List.of(), TAKEN_AT, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 frames were posed but 0 outcomes");
    }
}
