package io.posestream.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.cli.PoseModelOptions;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.demo.EmbeddedStack;
import io.posestream.inference.model.Detection;
import io.posestream.inference.pipeline.PoseAgreement;
import io.posestream.inference.pipeline.PosedPerson;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceWorker;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelKind;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The inference worker end to end through the embedded broker next to what its two models alone allow on the same
 * frames in the same run, with the detector on every frame and with tracking-driven crops: frames/s and persons/s
 * of each and their ratios, how well the tracking-driven keypoints agree with the detector-on-every-frame ones (mean
 * OKS), the per-stage latency the worker wrote into its PoseFrames, and the worker's throughput at each pose batch
 * size.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        modelTransformer = PipelineBenchmark.Flags.class,
        description = {
            "Inference on JPEG frames of the sample video, as several cameras each sending consecutive frames: (a) the "
                    + "detector and pose models alone on prepared inputs at their best batch size, (b) an inference "
                    + "worker end to end through the embedded broker (Avro Frames in, PoseFrames committed out) with "
                    + "the detector on every frame; (c) and (d) the same with tracking-driven crops ((c) = the model "
                    + "calls (d) made). Frames/s, persons/s, the ratios, mean OKS of (d) against (b), latency p50/p99 "
                    + "per stage, and worker throughput per pose batch size."
        })
public final class PipelineBenchmark implements Callable<Integer> {
    /** Worker settings offered as flags; defaults and help come from {@link InferenceConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(InferenceConfig.definition())
            .flag("--max-persons", InferenceConfig.MAX_PERSONS)
            .flag("--threads", InferenceConfig.INTRA_OP_THREADS)
            .flag("--detect-every", InferenceConfig.DETECT_EVERY_FRAMES);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    private static final int PARTITIONS = 4;
    /** Crops per raw pose measurement: several calls even at batch 16, still short at batch 1. */
    private static final int RAW_CROPS = 96;

    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final String WARM_UP_CAMERA = "warm-up";

    @Option(
            names = "--frames",
            defaultValue = "60",
            description = "Frames of the sample video in all, split over the cameras (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--cameras",
            defaultValue = "4",
            description = "Cameras: each sends a run of consecutive frames, the runs starting at even intervals over "
                    + "the video (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--step",
            defaultValue = "4",
            description = "Video frames between two frames of one camera: 4 at the video's 10 fps is 400 ms, about "
                    + "what a worker posing four 5-fps cameras sees of each (default: ${DEFAULT-VALUE}).")
    int step;

    @Option(
            names = "--batch-sizes",
            split = ",",
            defaultValue = "1,4,8,16",
            description = "Pose batch sizes (inference.pose.batch) tried for the raw model and in the batch-size "
                    + "table (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(
            names = "--table-frames",
            defaultValue = "32",
            description = "Frames per worker run of the batch-size table, the first of --frames (default: "
                    + "${DEFAULT-VALUE}).")
    int tableFrames;

    @Mixin
    PoseModelOptions models;

    @Mixin
    SettingOverrides overrides;

    @Spec
    CommandSpec spec;

    /**
     * One worker run: all frames answered, timed from the first record's arrival to the last PoseFrame read, with
     * what the worker's meters counted over the measured frames (the warm-up frame left out).
     */
    private record WorkerRun(int poseBatch, List<PoseFrame> answers, double seconds, long detected, long crops) {
        int persons() {
            return answers.stream().mapToInt(p -> p.getPersons().size()).sum();
        }

        double framesPerSecond() {
            return answers.size() / seconds;
        }

        double personsPerSecond() {
            return persons() / seconds;
        }

        double detectedShare() {
            return (double) detected / answers.size();
        }

        double cropsPerFrame() {
            return (double) crops / answers.size();
        }

        double percentile(ToDoubleFunction<StageTimings> stage, double p) {
            double[] values = answers.stream()
                    .mapToDouble(a -> stage.applyAsDouble(a.getTimings()))
                    .sorted()
                    .toArray();
            return values[Math.max(0, (int) Math.ceil(p * values.length) - 1)];
        }
    }

    @Override
    public Integer call() throws Exception {
        check(frames >= 1, "--frames must be at least 1, got " + frames);
        check(cameras >= 1, "--cameras must be at least 1, got " + cameras);
        check(frames >= cameras, "--frames must be at least --cameras (" + cameras + "), got " + frames);
        check(step >= 1, "--step must be at least 1, got " + step);
        check(tableFrames >= 1, "--table-frames must be at least 1, got " + tableFrames);
        check(
                !batchSizes.isEmpty() && batchSizes.stream().allMatch(b -> b >= 1),
                "--batch-sizes must be positive, got " + batchSizes);
        batchSizes = batchSizes.stream().distinct().sorted().toList();
        Path models = this.models.modelsDir();
        if (!this.models.bothGiven()) {
            new ModelPreparer(models, HumanModelsPackage.fromPath()).prepare();
        }
        int perCamera = frames / cameras;
        SampleVideoFrames sample = SampleVideoFrames.read(
                SampleRtspCamera.DEFAULT_VIDEO, cameras, perCamera, step, CameraConfig.DEFAULT_JPEG_QUALITY);
        int measured = perCamera * cameras;

        RawModelTimes raw;
        WorkerRun full;
        WorkerRun tracking;
        List<WorkerRun> byBatch = new ArrayList<>();
        String detectorName;
        String poseName;
        InferenceConfig config;
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            config = new InferenceConfig(workerSettings(stack, models, "bench-pipeline-raw", 1, true));
            try (LoadedModel detectorModel =
                            LoadedModel.load(config.detectorDir(), ModelKind.DETECTOR, config.sessionSettings());
                    LoadedModel poseModel =
                            LoadedModel.load(config.poseDir(), ModelKind.POSE, config.sessionSettings())) {
                detectorName = describe(detectorModel.metadata());
                poseName = describe(poseModel.metadata());
                raw = RawModelTimes.measure(config, detectorModel, poseModel, sample.jpegs(), batchSizes, RAW_CROPS);
            }
            int bestBatch = raw.bestPoseBatch(batchSizes);
            full = runWorker(stack, models, sample, measured, bestBatch, false);
            tracking = runWorker(stack, models, sample, measured, bestBatch, true);
            for (int batch : batchSizes) {
                byBatch.add(runWorker(stack, models, sample, tableFrames, batch, false));
            }
        }

        int bestBatch = full.poseBatch();
        double personsPerFrame = (double) full.persons() / full.answers().size();
        double rawFps = raw.framesPerSecond(bestBatch, 1, raw.cropsPerFrame());
        double rawTrackingFps = raw.framesPerSecond(bestBatch, tracking.detectedShare(), tracking.cropsPerFrame());
        double trackingPersonsPerFrame =
                (double) tracking.persons() / tracking.answers().size();
        Agreement agreement = agreement(full, tracking);
        InferenceConfig trackingConfig = new InferenceConfig(workerSettingsWithoutStack(models, true));
        System.out.println("bench pipeline on " + MachineInfo.describe() + "; " + tensorflow());
        System.out.printf(
                "Frames: %d JPEG q%d frames of %s (%dx%d, %.0f KB mean): %d cameras, each %d consecutive frames %d "
                        + "video frames (%d ms) apart, the cameras' runs spread over the video; %.2f crops and %.2f "
                        + "persons per frame with the detector on every frame (after OKS-NMS). Detector %s, pose %s, "
                        + "max %d persons. Tracking-driven crops: detector on every %d frames at most and every %d ms "
                        + "at least (inference.detector.interval.*).%n%n",
                measured,
                CameraConfig.DEFAULT_JPEG_QUALITY,
                SampleRtspCamera.DEFAULT_VIDEO.getFileName(),
                sample.width(),
                sample.height(),
                sample.meanKilobytes(),
                cameras,
                perCamera,
                step,
                sample.spacingMs(),
                raw.cropsPerFrame(),
                personsPerFrame,
                detectorName,
                poseName,
                FLAGS.values(spec).get(InferenceConfig.MAX_PERSONS),
                trackingConfig.getInt(InferenceConfig.DETECT_EVERY_FRAMES),
                trackingConfig.getLong(InferenceConfig.DETECT_EVERY_MS));

        BenchTable summary =
                new BenchTable("path", "frames/s", "persons/s", "detector on", "crops/frame", "mean OKS vs (b)", "how");
        summary.row(
                "(a) models alone, detector every frame",
                rawFps,
                rawFps * personsPerFrame,
                "100%",
                raw.cropsPerFrame(),
                "-",
                String.format(
                        "detector batch %d: %.1f ms/frame; pose batch %d: %.1f ms/crop; prepared float inputs, no "
                                + "decode, crops or Kafka",
                        raw.detectorBatch(),
                        raw.detectSecondsPerFrame() * 1e3,
                        bestBatch,
                        raw.poseSecondsPerCrop().getOrDefault(bestBatch, 0.0) * 1e3));
        summary.row(
                "(b) worker via broker, detector every frame",
                full.framesPerSecond(),
                full.personsPerSecond(),
                percent(full.detectedShare()),
                full.cropsPerFrame(),
                "1 (reference)",
                String.format(
                        "pose batch %d, up to %d frames per batch, %s, %d partitions; %d frames in %.1f s from the "
                                + "first record's arrival to the last PoseFrame read (read_committed)",
                        bestBatch,
                        config.getInt(InferenceConfig.BATCH_FRAMES),
                        config.getString(InferenceConfig.DELIVERY),
                        PARTITIONS,
                        full.answers().size(),
                        full.seconds()));
        summary.row(
                "(b)/(a)",
                String.format("%.2f", full.framesPerSecond() / rawFps),
                String.format("%.2f", full.personsPerSecond() / (rawFps * personsPerFrame)),
                "",
                "",
                "",
                "goal >= 0.90");
        summary.row(
                "(c) models alone, the model calls of (d)",
                rawTrackingFps,
                rawTrackingFps * trackingPersonsPerFrame,
                percent(tracking.detectedShare()),
                tracking.cropsPerFrame(),
                "-",
                "the detector on (d)'s share of the frames, the pose network on (d)'s crops per frame, as in (a)");
        summary.row(
                "(d) worker via broker, tracking-driven crops",
                tracking.framesPerSecond(),
                tracking.personsPerSecond(),
                percent(tracking.detectedShare()),
                tracking.cropsPerFrame(),
                agreement.describe(),
                String.format(
                        "as (b); %d frames in %.1f s. OKS: persons paired by box (IoU >= %.1f), COCO sigmas, the "
                                + "(b) person's box area; persons with no keypoint above %.1f left out",
                        tracking.answers().size(),
                        tracking.seconds(),
                        PoseAgreement.MIN_IOU,
                        config.getDouble(InferenceConfig.KEYPOINT_THRESHOLD)));
        summary.row(
                "(d)/(c)",
                String.format("%.2f", tracking.framesPerSecond() / rawTrackingFps),
                String.format("%.2f", tracking.personsPerSecond() / (rawTrackingFps * trackingPersonsPerFrame)),
                "",
                "",
                "",
                "goal >= 0.90");
        summary.row(
                "(d)/(b)",
                String.format("%.2f", tracking.framesPerSecond() / full.framesPerSecond()),
                String.format("%.2f", tracking.personsPerSecond() / full.personsPerSecond()),
                "",
                "",
                "",
                "what tracking-driven crops gain");
        summary.print(System.out);

        System.out.println();
        System.out.println("Latency per frame in the worker runs (b) and (d), from the PoseFrames' timings: total = "
                + "arrival at the worker to PoseFrame built (all frames were produced at once, so it includes waiting "
                + "in the backlog). Batched stages are shared out over the frames of a batch; on a tracked frame the "
                + "detector does not run (detect 0).");
        BenchTable latency = new BenchTable("stage", "(b) p50 ms", "(b) p99 ms", "(d) p50 ms", "(d) p99 ms");
        Map<String, ToDoubleFunction<StageTimings>> stages = new LinkedHashMap<>();
        stages.put("decode", StageTimings::getDecodeMs);
        stages.put("detect", StageTimings::getDetectMs);
        stages.put("crop", StageTimings::getCropMs);
        stages.put("pose", StageTimings::getPoseMs);
        stages.put("heatmapDecode", StageTimings::getHeatmapDecodeMs);
        stages.put("total", StageTimings::getTotalMs);
        stages.forEach((name, stage) -> latency.row(
                name,
                full.percentile(stage, 0.5),
                full.percentile(stage, 0.99),
                tracking.percentile(stage, 0.5),
                tracking.percentile(stage, 0.99)));
        latency.print(System.out);

        System.out.println();
        System.out.println("Pose batch size (inference.pose.batch), detector on every frame: raw = the pose model "
                + "alone on prepared crops; worker = a fresh worker run over the first "
                + byBatch.get(0).answers().size() + " frames.");
        BenchTable batches = new BenchTable(
                "pose batch", "raw pose crops/s", "worker frames/s", "worker persons/s", "worker pose ms/frame p50");
        for (WorkerRun run : byBatch) {
            Double perCrop = raw.poseSecondsPerCrop().get(run.poseBatch());
            batches.row(
                    run.poseBatch(),
                    perCrop == null ? "-" : (Object) (1 / perCrop),
                    run.framesPerSecond(),
                    run.personsPerSecond(),
                    run.percentile(StageTimings::getPoseMs, 0.5));
        }
        batches.print(System.out);
        return 0;
    }

    /** How the tracking-driven keypoints of (d) agree with (b)'s, over all frames and over the tracked ones. */
    private record Agreement(PoseAgreement all, PoseAgreement tracked) {
        String describe() {
            return String.format(
                    "%.3f (tracked frames %.3f; persons found %.0f%%)",
                    all.meanOks(), tracked.meanOks(), 100 * all.recall());
        }
    }

    private static Agreement agreement(WorkerRun reference, WorkerRun compared) {
        Map<String, PoseFrame> byFrame = new HashMap<>();
        reference.answers().forEach(p -> byFrame.put(p.getCameraId() + "/" + p.getSeq(), p));
        PoseAgreement all = PoseAgreement.NONE;
        PoseAgreement tracked = PoseAgreement.NONE;
        for (PoseFrame frame : compared.answers()) {
            PoseFrame ref = byFrame.get(frame.getCameraId() + "/" + frame.getSeq());
            PoseAgreement one = PoseAgreement.of(persons(ref), persons(frame));
            all = all.plus(one);
            if (frame.getTimings().getDetectMs() == 0) {
                tracked = tracked.plus(one);
            }
        }
        return new Agreement(all, tracked);
    }

    /** The PoseFrame's persons as the pipeline's, to compare them. */
    private static List<PosedPerson> persons(PoseFrame frame) {
        List<PosedPerson> persons = new ArrayList<>(frame.getPersons().size());
        for (Person p : frame.getPersons()) {
            int k = p.getKeypoints().size();
            float[] x = new float[k];
            float[] y = new float[k];
            float[] s = new float[k];
            for (int j = 0; j < k; j++) {
                Keypoint keypoint = p.getKeypoints().get(j);
                x[j] = keypoint.getX();
                y[j] = keypoint.getY();
                s[j] = keypoint.getScore();
            }
            var box = p.getBox();
            persons.add(PosedPerson.of(
                    new Detection(box.getX1(), box.getY1(), box.getX2(), box.getY2(), p.getScore()),
                    p.getScore(),
                    x,
                    y,
                    s));
        }
        return persons;
    }

    private static String percent(double share) {
        return String.format("%.0f%%", 100 * share);
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * The worker's settings: the options, then --setting, then what the benchmark must own to be what it says: every
     * frame posed however long it waited, and for (b) the detector on every frame.
     */
    private Map<String, Object> workerSettings(
            EmbeddedStack stack, Path models, String id, int poseBatch, boolean tracking) {
        Map<String, Object> config = new HashMap<>(workerSettingsWithoutStack(models, tracking));
        config.putAll(stack.clientConfig());
        config.put(InferenceConfig.INPUT_TOPIC, id + "-frames");
        config.put(InferenceConfig.OUTPUT_TOPIC, id + "-poses");
        config.put(InferenceConfig.DLQ_TOPIC, Topics.dlq(id + "-frames"));
        config.put(InferenceConfig.GROUP_ID, id);
        config.put(InferenceConfig.TRANSACTIONAL_ID, id);
        config.put(InferenceConfig.POSE_BATCH, poseBatch);
        return config;
    }

    private Map<String, Object> workerSettingsWithoutStack(Path models, boolean tracking) {
        Map<String, Object> config = new HashMap<>();
        config.put(InferenceConfig.BOOTSTRAP_SERVERS, "unused");
        config.put(InferenceConfig.SCHEMA_REGISTRY_URL, "unused");
        config.putAll(InferenceConfig.modelDirs(models, this.models.detector(), this.models.pose()));
        config.putAll(FLAGS.values(spec));
        config.putAll(overrides.settings());
        // Every frame is posed, however long it waited in the backlog: throughput, not live-ness, is measured.
        config.put(InferenceConfig.STALE_MS, 0L);
        config.put(InferenceConfig.LATEST_ONLY, false);
        // Batches fill up to inference.batch.frames, as the raw side's batches do, rather than staying at the few
        // frames a live worker takes to bound each frame's wait.
        config.put(InferenceConfig.BATCH_MAX_MS, 0L);
        if (!tracking) {
            config.put(InferenceConfig.DETECT_EVERY_FRAMES, 1);
        }
        return config;
    }

    /**
     * A fresh worker on fresh topics: waits for its partitions, poses one warm-up frame (TensorFlow's first calls
     * are slow, a long-running worker pays that once), then produces the frames, reads every PoseFrame and takes
     * what the worker's meters counted for them.
     *
     * @param tracking with tracking-driven crops as configured; false puts the detector on every frame
     */
    private WorkerRun runWorker(
            EmbeddedStack stack, Path models, SampleVideoFrames sample, int count, int poseBatch, boolean tracking)
            throws InterruptedException {
        List<byte[]> jpegs =
                sample.jpegs().subList(0, Math.min(count, sample.jpegs().size()));
        String id = "bench-pipeline-" + UUID.randomUUID().toString().substring(0, 8);
        InferenceConfig config = new InferenceConfig(workerSettings(stack, models, id, poseBatch, tracking));
        String input = config.getString(InferenceConfig.INPUT_TOPIC);
        String output = config.getString(InferenceConfig.OUTPUT_TOPIC);
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(input, PARTITIONS, (short) 1),
                            Topics.dataTopic(output, PARTITIONS, (short) 1),
                            Topics.dataTopic(config.getString(InferenceConfig.DLQ_TOPIC), 1, (short) 1)));
        }
        Map<String, Object> producerConfig = new HashMap<>(stack.clientConfig());
        producerConfig.putAll(Topics.producerSizing());
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // One batch in flight: a batch refused right after topic creation must not leave later ones out of order.
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        Map<String, Object> consumerConfig = new HashMap<>(stack.clientConfig());
        consumerConfig.putAll(Topics.consumerSizing());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (InferenceWorker worker = new InferenceWorker(config, new SimpleMeterRegistry()).start();
                var producer = new KafkaProducer<>(
                        producerConfig,
                        new StringSerializer(),
                        AvroSerdes.specific(Frame.class, stack.clientConfig(), false)
                                .serializer());
                var consumer = new KafkaConsumer<>(
                        consumerConfig,
                        new StringDeserializer(),
                        AvroSerdes.specific(PoseFrame.class, stack.clientConfig(), false)
                                .deserializer())) {
            consumer.assign(IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(output, p))
                    .toList());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (worker.assignment().size() < PARTITIONS) {
                alive(worker, deadline, "getting the partitions of " + input);
                Thread.sleep(20);
            }
            // Capture times as the cameras' own clocks would give them, one frame spacing apart, all in the past.
            long spacing = sample.spacingMs();
            Instant start = Instant.now().minusMillis(spacing * (jpegs.size() / cameras + 1));
            // The warm-up frame also registers the Frame schema, so no record below waits for the registry.
            send(producer, input, List.of(frame(WARM_UP_CAMERA, 0, start, sample, jpegs.get(0))));
            drain(consumer, output, 1, worker);
            awaitCounted(worker, 1, deadline);
            long detected0 = worker.metrics().detectedFrames();
            long crops0 = worker.metrics().crops();
            List<Frame> measured = new ArrayList<>(jpegs.size());
            for (int i = 0; i < jpegs.size(); i++) {
                long seq = i / cameras;
                measured.add(
                        frame("cam" + (i % cameras + 1), seq, start.plusMillis(seq * spacing), sample, jpegs.get(i)));
            }
            send(producer, input, measured);
            Drained drained = drain(consumer, output, jpegs.size(), worker);
            awaitCounted(worker, 1 + jpegs.size(), deadline);
            return timed(
                    drained,
                    output,
                    poseBatch,
                    worker.metrics().detectedFrames() - detected0,
                    worker.metrics().crops() - crops0);
        }
    }

    /** Waits until the worker's meters count {@code frames} posed frames (they are counted just after the commit). */
    private static void awaitCounted(InferenceWorker worker, long frames, long deadline) throws InterruptedException {
        while (worker.metrics().frames(FrameStatus.POSED) < frames) {
            alive(worker, deadline, "counting " + frames + " posed frames");
            Thread.sleep(5);
        }
    }

    private static Frame frame(String camera, long seq, Instant captured, SampleVideoFrames sample, byte[] jpeg) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(captured)
                .setPts(-1)
                .setWidth(sample.width())
                .setHeight(sample.height())
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg))
                .build();
    }

    /** Sends the frames, keyed by camera as ingest does, and waits until the broker has them all. */
    private static void send(KafkaProducer<String, Frame> producer, String topic, List<Frame> frames) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(frames.size());
        frames.forEach(frame -> sent.add(producer.send(new ProducerRecord<>(topic, frame.getCameraId(), frame))));
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException | InterruptedException e) {
                throw new IllegalStateException(
                        "bench pipeline: producing " + frames.get(i).getCameraId() + " seq "
                                + frames.get(i).getSeq() + " to " + topic + " failed: " + e.getMessage(),
                        e);
            }
        }
    }

    /** The next {@code count} committed PoseFrames and when the last of them was read (epoch millis). */
    private static Drained drain(
            KafkaConsumer<String, PoseFrame> consumer, String topic, int count, InferenceWorker worker) {
        List<PoseFrame> answers = new ArrayList<>(count);
        long lastAt = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (answers.size() < count) {
            alive(worker, deadline, "answering: " + answers.size() + " of " + count + " PoseFrames on " + topic);
            for (ConsumerRecord<String, PoseFrame> record : consumer.poll(Duration.ofMillis(20))) {
                answers.add(record.value());
                lastAt = System.currentTimeMillis();
            }
        }
        return new Drained(answers, lastAt);
    }

    private record Drained(List<PoseFrame> answers, long lastAt) {}

    /** Checks every frame was posed once; the clock runs from the first frame's arrival at the worker. */
    private static WorkerRun timed(Drained drained, String topic, int poseBatch, long detected, long crops) {
        Set<String> seen = new HashSet<>();
        double firstArrival = Double.MAX_VALUE;
        for (PoseFrame answer : drained.answers()) {
            if (answer.getStatus() != FrameStatus.POSED || !seen.add(answer.getCameraId() + "/" + answer.getSeq())) {
                throw new IllegalStateException("bench pipeline: PoseFrame " + answer.getCameraId() + " seq "
                        + answer.getSeq() + " on " + topic + " is " + answer.getStatus() + " ("
                        + answer.getStatusDetail() + ") or a repeat; every frame should be posed once");
            }
            // In double: epoch millis do not fit a float's 24 bits.
            firstArrival = Math.min(
                    firstArrival,
                    answer.getCaptureTime().toEpochMilli()
                            + (double) answer.getTimings().getQueueMs());
        }
        return new WorkerRun(poseBatch, drained.answers(), (drained.lastAt() - firstArrival) / 1e3, detected, crops);
    }

    private static void alive(InferenceWorker worker, long deadline, String doing) {
        if (!worker.running()) {
            throw new IllegalStateException(
                    "bench pipeline: the inference worker stopped while " + doing + ": " + worker.failure(),
                    worker.failure());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("bench pipeline: no end after " + WAIT.toMinutes() + " minutes " + doing);
        }
    }

    private static String describe(ModelMetadata metadata) {
        return metadata.name() + " " + metadata.inputWidth() + "x" + metadata.inputHeight();
    }

    /** Which TensorFlow native build runs the models: the CPU one unless the -Pgpu build put CUDA's on the path. */
    private static String tensorflow() {
        boolean gpu =
                PipelineBenchmark.class.getClassLoader().getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/")
                        != null;
        return "TensorFlow " + TensorFlow.version() + (gpu ? " GPU (CUDA) build" : " CPU build");
    }
}
