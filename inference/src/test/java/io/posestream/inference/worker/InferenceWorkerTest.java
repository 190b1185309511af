package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.inference.SampleImages;
import io.posestream.inference.TestModels;
import io.posestream.inference.UniformJpeg;
import io.posestream.inference.crops.CropPlan;
import io.posestream.models.savedmodel.ModelException;
import io.posestream.schemas.DeadLetters;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference worker on a real broker and registry with the real pretrained models (CenterNet, MoveNet-Thunder):
 * one PoseFrame per frame in order, dead letters, stale frames, scale-out, a crash mid-stream, refused models.
 * Each test has its own topics and consumer group.
 */
class InferenceWorkerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_PERSONS = 4;
    /** Test frames are "captured" when produced; a busy test machine must not make them stale by accident. */
    private static final long STALE_MS = 120_000;

    private static RegistryCluster cluster;
    private static List<byte[]> video;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
        video = SampleImages.videoFrames(10);
        TestModels.dir();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void answersEveryFrameOfTwoCamerasOnceAndInOrderWithPersonsModelsAndTimings() {
        Stream stream = stream("video", 2);
        int perCamera = 5;
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                InferenceWorker worker = worker(settings(stream))) {
            for (int seq = 0; seq < perCamera; seq++) {
                for (int camera = 0; camera < 2; camera++) {
                    frames.send(camera, seq, video.get(seq));
                }
            }
            worker.start();

            out.awaitAtLeast(2 * perCamera, TIMEOUT).settle();
            assertThat(out.records).hasSize(2 * perCamera);
            for (int camera = 0; camera < 2; camera++) {
                String id = FrameProducer.camera(camera);
                assertThat(out.records)
                        .filteredOn(r -> r.key().equals(id))
                        .extracting(r -> r.value().getSeq())
                        .as("seqs of %s in output order", id)
                        .containsExactly(0L, 1L, 2L, 3L, 4L);
            }
            String detector = worker.pipeline().detector().name();
            String pose = worker.pipeline().estimator().name();
            assertThat(detector).isNotBlank();
            assertThat(pose).isNotBlank().isNotEqualTo(detector);
            for (ConsumerRecord<String, PoseFrame> record : out.records) {
                PoseFrame frame = record.value();
                assertThat(frame.getCameraId()).isEqualTo(record.key());
                assertThat(frame.getStatus()).isEqualTo(FrameStatus.POSED);
                assertThat(frame.getStatusDetail()).isNull();
                assertThat(frame.getWidth()).isEqualTo(FrameProducer.WIDTH);
                assertThat(frame.getHeight()).isEqualTo(FrameProducer.HEIGHT);
                assertThat(frame.getDetectorModel()).isEqualTo(detector);
                assertThat(frame.getPoseModel()).isEqualTo(pose);
                assertThat(frame.getProcessedTime()).isAfterOrEqualTo(frame.getCaptureTime());
                // Pedestrians are in every frame of the sample video.
                assertThat(frame.getPersons())
                        .as("persons of %s/%d", frame.getCameraId(), frame.getSeq())
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(MAX_PERSONS);
                for (Person person : frame.getPersons()) {
                    assertThat(person.getKeypoints()).hasSize(17);
                    assertThat(person.getScore()).isBetween(0f, 1f);
                    for (Keypoint k : person.getKeypoints()) {
                        assertThat(k.getX()).isBetween(-0.5f * FrameProducer.WIDTH, 1.5f * FrameProducer.WIDTH);
                        assertThat(k.getY()).isBetween(-0.5f * FrameProducer.HEIGHT, 1.5f * FrameProducer.HEIGHT);
                    }
                }
                StageTimings t = frame.getTimings();
                assertThat(t.getDecodeMs()).isPositive();
                // The detector runs on each camera's first frame; later ones may be cropped from its persons.
                if (frame.getSeq() == 0) {
                    assertThat(t.getDetectMs()).isPositive();
                } else {
                    assertThat(t.getDetectMs()).isGreaterThanOrEqualTo(0f);
                }
                assertThat(t.getCropMs()).isPositive();
                assertThat(t.getPoseMs()).isPositive();
                assertThat(t.getHeatmapDecodeMs()).isPositive();
                assertThat(t.getTotalMs()).isPositive();
                assertThat(t.getQueueMs()).isGreaterThanOrEqualTo(0f);
            }
            awaitAnswered(worker, FrameStatus.POSED, 2 * perCamera);
            assertThat(worker.metrics().deadLetters()).isZero();
            assertThat(worker.metrics().malformedRecords()).isZero();
            assertThat(worker.metrics().detectedFrames(CropPlan.Reason.NO_STATE))
                    .as("each camera's first frame on this worker")
                    .isEqualTo(2);
            assertThat(worker.metrics().detectedFrames()).isBetween(2L, 2L * perCamera);
        }
    }

    @Test
    void corruptJpegIsAnsweredUndecodableAndDeadLetteredAndTheWorkerGoesOn() {
        Stream stream = stream("corrupt", 1);
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                ReadCommittedTopic<byte[]> dlq = ReadCommittedTopic.raw(cluster.bootstrapServers(), stream.dlq, 1);
                InferenceWorker worker = worker(settings(stream)).start()) {
            frames.send(0, 0, video.get(0));
            frames.send(0, 1, video.get(1));
            FrameProducer.Sent bad = frames.send(0, 2, garbage);
            frames.send(0, 3, video.get(2));
            frames.send(0, 4, video.get(3));

            out.awaitAtLeast(5, TIMEOUT).settle();
            assertThat(out.values()).extracting(PoseFrame::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(out.values())
                    .extracting(PoseFrame::getStatus)
                    .containsExactly(
                            FrameStatus.POSED,
                            FrameStatus.POSED,
                            FrameStatus.UNDECODABLE,
                            FrameStatus.POSED,
                            FrameStatus.POSED);
            PoseFrame undecodable = out.values().get(2);
            assertThat(undecodable.getStatusDetail()).isNotBlank();
            assertThat(undecodable.getPersons()).isEmpty();
            assertThat(undecodable.getCameraId()).isEqualTo("cam-0");
            assertThat(out.values().get(3).getPersons()).isNotEmpty();

            ConsumerRecord<String, byte[]> dead =
                    dlq.awaitAtLeast(1, TIMEOUT).settle().records.get(0);
            assertThat(dlq.records).hasSize(1);
            assertThat(dead.key()).isEqualTo("cam-0");
            assertThat(dead.value()).isEqualTo(bad.value());
            assertDeadLetterHeaders(dead, stream.in, bad, "UndecodableImage");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE_HEADER))
                    .isEqualTo(undecodable.getStatusDetail());

            awaitAnswered(worker, FrameStatus.POSED, 4);
            assertThat(worker.metrics().frames(FrameStatus.UNDECODABLE)).isEqualTo(1);
            assertThat(worker.metrics().deadLetters()).isEqualTo(1);
            assertThat(worker.running()).isTrue();
        }
    }

    @Test
    void aJpegAboveThePixelLimitIsAnsweredUndecodableFromItsHeaderAndDeadLettered() {
        Stream stream = stream("huge", 1);
        // 1.5 MB on the wire, 768 MB of BGR pixels if it were decoded: refused by the default 40 MP limit.
        byte[] huge = UniformJpeg.of(16000, 16000);
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                ReadCommittedTopic<byte[]> dlq = ReadCommittedTopic.raw(cluster.bootstrapServers(), stream.dlq, 1);
                InferenceWorker worker = worker(settings(stream)).start()) {
            frames.send(0, 0, video.get(0));
            FrameProducer.Sent bad = frames.send(0, 1, huge);
            frames.send(0, 2, video.get(1));

            out.awaitAtLeast(3, TIMEOUT).settle();
            assertThat(out.values())
                    .extracting(PoseFrame::getStatus)
                    .containsExactly(FrameStatus.POSED, FrameStatus.UNDECODABLE, FrameStatus.POSED);
            PoseFrame refused = out.values().get(1);
            assertThat(refused.getStatusDetail())
                    .isEqualTo("JPEG of 16000x16000 = 256.0 megapixels is above the limit of 40.0 megapixels "
                            + "(inference.max.image.pixels); not decoded");
            assertThat(refused.getPersons()).isEmpty();

            ConsumerRecord<String, byte[]> dead =
                    dlq.awaitAtLeast(1, TIMEOUT).settle().records.get(0);
            assertThat(dead.value()).isEqualTo(bad.value());
            assertDeadLetterHeaders(dead, stream.in, bad, "UndecodableImage");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE_HEADER))
                    .isEqualTo(refused.getStatusDetail());
            assertThat(worker.running()).isTrue();
        }
    }

    @Test
    void recordThatIsNotAvroGoesToTheDeadLetterTopicCountedAndTheWorkerGoesOn() {
        Stream stream = stream("malformed", 1);
        byte[] notAvro = "this is not an Avro frame".getBytes(StandardCharsets.UTF_8);
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                ReadCommittedTopic<byte[]> dlq = ReadCommittedTopic.raw(cluster.bootstrapServers(), stream.dlq, 1);
                InferenceWorker worker = worker(settings(stream)).start()) {
            frames.send(0, 0, video.get(0));
            FrameProducer.Sent bad = frames.sendRaw(0, "cam-0", notAvro);
            frames.send(0, 1, video.get(1));
            frames.send(0, 2, video.get(2));

            out.awaitAtLeast(3, TIMEOUT).settle();
            // A record that is not a frame has no camera or seq to answer: the dead letter is its only trace.
            assertThat(out.values()).extracting(PoseFrame::getSeq).containsExactly(0L, 1L, 2L);
            assertThat(out.values()).extracting(PoseFrame::getStatus).containsOnly(FrameStatus.POSED);

            ConsumerRecord<String, byte[]> dead =
                    dlq.awaitAtLeast(1, TIMEOUT).settle().records.get(0);
            assertThat(dlq.records).hasSize(1);
            assertThat(dead.key()).isEqualTo("cam-0");
            assertThat(dead.value()).isEqualTo(notAvro);
            assertDeadLetterHeaders(dead, stream.in, bad, "MalformedRecord");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE_HEADER))
                    .contains("not an Avro Frame")
                    .contains("magic byte");

            ReadCommittedTopic.await(
                    "the malformed record counted",
                    TIMEOUT,
                    () -> worker.metrics().malformedRecords() == 1);
            awaitAnswered(worker, FrameStatus.POSED, 3);
            assertThat(worker.metrics().deadLetters()).isEqualTo(1);
            assertThat(worker.running()).isTrue();
            assertThat(worker.failure()).isNull();
        }
    }

    @Test
    void staleFramesAreAnsweredSkippedAndCountedAndFreshOnesPosed() {
        Stream stream = stream("stale", 1);
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                InferenceWorker worker = worker(settings(stream)).start()) {
            for (int seq = 0; seq < 3; seq++) {
                frames.send(FrameProducer.frame(0, seq, anHourAgo, video.get(seq)));
            }
            frames.send(0, 3, video.get(3));
            frames.send(0, 4, video.get(4));

            out.awaitAtLeast(5, TIMEOUT).settle();
            List<PoseFrame> poses = out.values();
            assertThat(poses).extracting(PoseFrame::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L);
            for (PoseFrame stale : poses.subList(0, 3)) {
                assertThat(stale.getStatus()).isEqualTo(FrameStatus.SKIPPED_STALE);
                assertThat(stale.getStatusDetail())
                        .contains("ms old when the worker took it")
                        .contains("limit " + STALE_MS + " ms");
                assertThat(stale.getPersons()).isEmpty();
                assertThat(stale.getCaptureTime()).isEqualTo(anHourAgo.truncatedTo(ChronoUnit.MILLIS));
                assertThat(stale.getTimings().getQueueMs()).isGreaterThan(STALE_MS);
            }
            for (PoseFrame fresh : poses.subList(3, 5)) {
                assertThat(fresh.getStatus()).isEqualTo(FrameStatus.POSED);
                assertThat(fresh.getPersons()).isNotEmpty();
            }
            awaitAnswered(worker, FrameStatus.POSED, 2);
            assertThat(worker.metrics().frames(FrameStatus.SKIPPED_STALE)).isEqualTo(3);
        }
    }

    @Test
    void camerasMovingToASecondWorkerAreAnsweredOnceAndTheirCropStateRebuiltByADetection() {
        Stream stream = stream("shared", 4);
        int perCamera = 3;
        Set<String> expected = new HashSet<>();
        // Both workers take the default transactional id: it must differ between them, or one fences the other.
        try (ReadCommittedTopic<PoseFrame> out = poses(stream);
                InferenceWorker a = worker(settings(stream)).start();
                FrameProducer frames = producer(stream)) {
            ReadCommittedTopic.await(
                    "worker a has all four cameras",
                    TIMEOUT,
                    () -> a.assignment().size() == 4);
            // Worker a poses a first round alone: it now holds crop state (tracked persons) for every camera.
            sendRound(frames, 4, 0, 1, expected);
            out.awaitAtLeast(expected.size(), TIMEOUT);
            awaitAnswered(a, FrameStatus.POSED, 4);
            assertThat(a.metrics().detectedFrames(CropPlan.Reason.NO_STATE)).isEqualTo(4);

            try (InferenceWorker b = worker(settings(stream)).start()) {
                ReadCommittedTopic.await(
                        () -> "partitions shared, now " + a.assignment() + " and " + b.assignment(),
                        TIMEOUT,
                        () -> !a.assignment().isEmpty()
                                && !b.assignment().isEmpty()
                                && a.assignment().size() + b.assignment().size() == 4);
                int moved = b.assignment().size();
                sendRound(frames, 4, 1, perCamera, expected);

                out.awaitAtLeast(expected.size(), TIMEOUT).settle();
                assertThat(out.records).hasSize(expected.size());
                assertThat(ReadCommittedTopic.frameIds(out.values())).isEqualTo(expected);
                assertThat(out.values()).extracting(PoseFrame::getStatus).containsOnly(FrameStatus.POSED);
                ReadCommittedTopic.await(
                        "both workers' counts", TIMEOUT, () -> answered(a) + answered(b) == expected.size());
                assertThat(answered(b)).as("frames answered by worker b").isPositive();
                // Nothing of a's crop state travelled: b ran the detector on each moved camera's first frame.
                assertThat(b.metrics().detectedFrames(CropPlan.Reason.NO_STATE))
                        .as("cameras that moved to worker b, each detected on its first frame there")
                        .isEqualTo(moved);
                assertThat(a.failure()).isNull();
                assertThat(b.failure()).isNull();
                assertThat(a.running()).isTrue();
                assertThat(b.running()).isTrue();
            }
        }
    }

    @Test
    void workerKilledMidStreamIsTakenOverAndEveryFrameIsAnsweredExactlyOnce() throws Exception {
        Stream stream = stream("killed", 2);
        Set<String> expected = new HashSet<>();
        Path log = temp.resolve("child-worker.log");
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        try (ReadCommittedTopic<PoseFrame> out = poses(stream);
                FrameProducer frames = producer(stream)) {
            sendRound(frames, 0, 4, expected);
            Process child = startChild(stream, log);
            try {
                withChildLog(log, () -> out.awaitAtLeast(4, TIMEOUT));
                // Frames keep coming while the worker runs; it dies (SIGKILL: no close, no commit) among them.
                Thread more = new Thread(
                        () -> {
                            try (FrameProducer live = producer(stream)) {
                                for (int seq = 4; seq < 10; seq++) {
                                    sendRound(live, seq, seq + 1, expected);
                                    sleep(150);
                                }
                            }
                        },
                        "frames-while-running");
                more.setUncaughtExceptionHandler((t, e) -> sendFailure.set(e));
                more.start();
                withChildLog(log, () -> out.awaitAtLeast(8, TIMEOUT));
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).isFalse();
                more.join();
            } finally {
                child.destroyForcibly();
            }
            assertThat(sendFailure.get())
                    .as("sending frames while the worker ran")
                    .isNull();
            sendRound(frames, 10, 12, expected);

            try (InferenceWorker next = worker(settings(stream)).start()) {
                out.awaitAtLeast(expected.size(), TIMEOUT).settle();
                assertThat(out.records).hasSize(expected.size());
                assertThat(ReadCommittedTopic.frameIds(out.values())).isEqualTo(expected);
                for (int camera = 0; camera < 2; camera++) {
                    String id = FrameProducer.camera(camera);
                    assertThat(out.values())
                            .filteredOn(p -> p.getCameraId().equals(id))
                            .extracting(PoseFrame::getSeq)
                            .as("seqs of %s", id)
                            .isSorted();
                }
                ReadCommittedTopic.await("the take-over counted", TIMEOUT, () -> answered(next) > 0);
                // The killed worker had committed at least 8 answers; the rest (and nothing more) came from here.
                assertThat(answered(next))
                        .as("frames answered after the take-over")
                        .isLessThanOrEqualTo(expected.size() - 8);
                // The killed worker's crop state died with it: each camera starts again from a detection here.
                assertThat(next.metrics().detectedFrames(CropPlan.Reason.NO_STATE))
                        .as("cameras detected on their first frame after the take-over")
                        .isEqualTo(2);
                assertThat(next.failure()).isNull();
            }
        }
    }

    @Test
    void modelsOfTheWrongKindOrMissingAreRefusedAtStartNamingWhatIsWrong() {
        // No broker needed: the models are loaded before any Kafka client is made.
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(InferenceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        settings.put(InferenceConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9");
        settings.put(InferenceConfig.DETECTOR_DIR, TestModels.detectorDir().toString());
        settings.put(InferenceConfig.POSE_DIR, TestModels.detectorDir().toString());
        assertThatThrownBy(() -> worker(settings))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(TestModels.detectorDir().toString())
                .hasMessageContaining("is a detector model, expected a pose model");

        settings.put(InferenceConfig.DETECTOR_DIR, TestModels.poseDir().toString());
        settings.put(InferenceConfig.POSE_DIR, TestModels.poseDir().toString());
        assertThatThrownBy(() -> worker(settings))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(TestModels.poseDir().toString())
                .hasMessageContaining("is a pose model, expected a detector model");

        Path missing = temp.resolve("models").resolve("movenet-thunder");
        settings.put(InferenceConfig.DETECTOR_DIR, TestModels.detectorDir().toString());
        settings.put(InferenceConfig.POSE_DIR, missing.toString());
        assertThatThrownBy(() -> worker(settings))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("posestream model prepare");
    }

    @Test
    void atLeastOnceDeliveryAlsoAnswersEveryFrame() {
        Stream stream = stream("at-least-once", 1);
        Map<String, Object> settings = settings(stream);
        settings.put(InferenceConfig.DELIVERY, InferenceConfig.AT_LEAST_ONCE);
        try (FrameProducer frames = producer(stream);
                ReadCommittedTopic<PoseFrame> out = poses(stream);
                InferenceWorker worker = worker(settings).start()) {
            for (int seq = 0; seq < 4; seq++) {
                frames.send(0, seq, video.get(seq));
            }
            out.awaitAtLeast(4, TIMEOUT).settle();
            assertThat(out.values()).extracting(PoseFrame::getSeq).containsExactly(0L, 1L, 2L, 3L);
            assertThat(out.values()).extracting(PoseFrame::getStatus).containsOnly(FrameStatus.POSED);
            awaitAnswered(worker, FrameStatus.POSED, 4);
        }
    }

    /** One test's topics (input with one partition per camera, output, dead letters) and consumer group. */
    @Test
    void framesWhoseSchemaIsNotCachedWaitForTheRegistryAndAreAnsweredOnceItIsBack() {
        Stream stream = stream("registry", 1);
        int frames = 3;
        int registryPort = cluster.registry.port();
        try (FrameProducer producer = producer(stream)) {
            for (int seq = 0; seq < frames; seq++) {
                producer.send(0, seq, video.get(seq));
            }
        }
        Map<String, Object> settings = settings(stream);
        cluster.registry.close();
        boolean restarted = false;
        try (InferenceWorker worker = worker(settings)) {
            // A new worker has no schema cached: it cannot read a frame until the registry is back.
            worker.start();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (worker.assignment().isEmpty() && System.nanoTime() < deadline) {
                sleep(100);
            }
            sleep(4000);
            assertThat(answered(worker))
                    .as("answered while the registry is away")
                    .isZero();
            assertThat(worker.metrics().deadLetters())
                    .as("dead letters while the registry is away")
                    .isZero();
            assertThat(worker.running()).isTrue();
            cluster.registry = cluster.startRegistry(registryPort);
            restarted = true;
            try (ReadCommittedTopic<PoseFrame> out = poses(stream)) {
                out.awaitAtLeast(frames, TIMEOUT).settle();
                assertThat(out.records).extracting(r -> r.value().getSeq()).containsExactly(0L, 1L, 2L);
            }
            assertThat(worker.metrics().deadLetters()).isZero();
        } finally {
            if (!restarted) {
                cluster.registry = cluster.startRegistry(registryPort);
            }
        }
    }

    private record Stream(String in, String out, String dlq, String group, int partitions) {}

    private static Stream stream(String name, int partitions) {
        String in = RegistryCluster.freshTopic("frames-" + name);
        Stream stream = new Stream(in, in + "-poses", Topics.dlq(in), "inference-" + in, partitions);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(stream.in, partitions, (short) 1),
                            Topics.dataTopic(stream.out, partitions, (short) 1),
                            Topics.dataTopic(stream.dlq, 1, (short) 1)));
        }
        return stream;
    }

    private static Map<String, Object> settings(Stream stream) {
        Map<String, Object> settings = new LinkedHashMap<>(cluster.serdeConfig());
        settings.put(InferenceConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(InferenceConfig.DETECTOR_DIR, TestModels.detectorDir().toString());
        settings.put(InferenceConfig.POSE_DIR, TestModels.poseDir().toString());
        settings.put(InferenceConfig.INPUT_TOPIC, stream.in);
        settings.put(InferenceConfig.OUTPUT_TOPIC, stream.out);
        settings.put(InferenceConfig.DLQ_TOPIC, stream.dlq);
        settings.put(InferenceConfig.GROUP_ID, stream.group);
        settings.put(InferenceConfig.MAX_PERSONS, MAX_PERSONS);
        settings.put(InferenceConfig.STALE_MS, STALE_MS);
        // The tests send bursts and expect every frame posed; skipping superseded frames has its own test.
        settings.put(InferenceConfig.LATEST_ONLY, false);
        return settings;
    }

    private static InferenceWorker worker(Map<String, Object> settings) {
        return new InferenceWorker(new InferenceConfig(settings), new SimpleMeterRegistry());
    }

    private static FrameProducer producer(Stream stream) {
        return new FrameProducer(cluster.bootstrapServers(), cluster.serdeConfig(), stream.in);
    }

    private static ReadCommittedTopic<PoseFrame> poses(Stream stream) {
        return ReadCommittedTopic.poses(
                cluster.bootstrapServers(), cluster.serdeConfig(), stream.out, stream.partitions);
    }

    /** Frames {@code [from, to)} of cameras 0 and 1. */
    private static void sendRound(FrameProducer frames, int from, int to, Set<String> expected) {
        sendRound(frames, 2, from, to, expected);
    }

    /** Frames {@code [from, to)} of cameras 0 to {@code cameras - 1}. */
    private static void sendRound(FrameProducer frames, int cameras, int from, int to, Set<String> expected) {
        for (int seq = from; seq < to; seq++) {
            for (int camera = 0; camera < cameras; camera++) {
                frames.send(camera, seq, video.get(seq % video.size()));
                synchronized (expected) {
                    expected.add(FrameProducer.camera(camera) + "/" + seq);
                }
            }
        }
    }

    /** A worker in its own JVM; quick to be declared dead, and its open transaction aborted soon after. */
    private static Process startChild(Stream stream, Path log) throws IOException {
        Map<String, Object> settings = settings(stream);
        settings.put("session.timeout.ms", 6000);
        settings.put("heartbeat.interval.ms", 1000);
        settings.put("transaction.timeout.ms", 5000);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                InferenceProcess.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Runs {@code step}, adding the child worker's log to a failure so it can be diagnosed. */
    private static void withChildLog(Path log, Runnable step) throws IOException {
        try {
            step.run();
        } catch (AssertionError e) {
            String text = Files.exists(log) ? Files.readString(log) : "(no log)";
            throw new AssertionError(
                    e.getMessage() + "\nchild worker log:\n" + text.substring(Math.max(0, text.length() - 6000)), e);
        }
    }

    private static void assertDeadLetterHeaders(
            ConsumerRecord<String, byte[]> dead, String sourceTopic, FrameProducer.Sent source, String errorClass) {
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE_HEADER)).isEqualTo("inference");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS_HEADER))
                .isEqualTo(errorClass);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE_HEADER))
                .isNotBlank();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TOPIC_HEADER)).isEqualTo(sourceTopic);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.PARTITION_HEADER))
                .isEqualTo(Integer.toString(source.partition()));
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET_HEADER))
                .isEqualTo(Long.toString(source.offset()));
    }

    /** The worker's metrics are counted just after its commit: wait for them, then check them exactly. */
    private static void awaitAnswered(InferenceWorker worker, FrameStatus status, long count) {
        ReadCommittedTopic.await(
                () -> count + " frames " + status + ", counted "
                        + worker.metrics().frames(status),
                TIMEOUT,
                () -> worker.metrics().frames(status) >= count);
        assertThat(worker.metrics().frames(status)).isEqualTo(count);
    }

    private static long answered(InferenceWorker worker) {
        long total = 0;
        for (FrameStatus status : FrameStatus.values()) {
            total += worker.metrics().frames(status);
        }
        return total;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
