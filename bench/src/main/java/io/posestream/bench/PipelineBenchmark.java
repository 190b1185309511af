package io.posestream.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.cli.PoseModelOptions;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.demo.EmbeddedStack;
import io.posestream.inference.image.SourceImage;
import io.posestream.inference.model.Detection;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.inference.worker.InferenceWorker;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
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
import org.tensorflow.Result;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The inference worker end to end through the embedded broker next to what its two models alone allow on the same
 * frames in the same run: frames/s and persons/s of both and their ratio, the per-stage latency the worker wrote
 * into its PoseFrames, and the worker's throughput at each pose batch size.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        modelTransformer = PipelineBenchmark.Flags.class,
        description = {
            "Inference on JPEG frames of the sample video: (a) the detector and pose models alone on "
                    + "prepared inputs at their best batch size, (b) an inference worker end to end through the embedded "
                    + "broker (Avro Frames in, PoseFrames committed out); frames/s, persons/s and (b)/(a), latency p50/p99 "
                    + "per stage, and worker throughput per pose batch size."
        })
public final class PipelineBenchmark implements Callable<Integer> {
    /** Worker settings offered as flags; defaults and help come from {@link InferenceConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(InferenceConfig.definition())
            .flag("--max-persons", InferenceConfig.MAX_PERSONS)
            .flag("--threads", InferenceConfig.INTRA_OP_THREADS);

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
            description = "Frames of the sample video, taken evenly over " + "it (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--cameras",
            defaultValue = "4",
            description = "Camera ids the frames are spread over, in turn " + "(default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--batch-sizes",
            split = ",",
            defaultValue = "1,4,8,16",
            description =
                    "Pose batch sizes "
                            + "(inference.pose.batch) tried for the raw model and in the batch-size table (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(
            names = "--table-frames",
            defaultValue = "32",
            description = "Frames per worker run of the batch-size "
                    + "table, the first of --frames (default: ${DEFAULT-VALUE}).")
    int tableFrames;

    @Mixin
    PoseModelOptions models;

    @Mixin
    SettingOverrides overrides;

    @Spec
    CommandSpec spec;

    /** What the models alone allow: seconds per frame in the detector and per crop in the pose network. */
    private record RawModels(
            int detectorBatch,
            double detectSecondsPerFrame,
            Map<Integer, Double> poseSecondsPerCrop,
            double cropsPerFrame) {
        int bestPoseBatch(List<Integer> candidates) {
            return poseSecondsPerCrop.entrySet().stream()
                    .min(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElse(candidates.get(candidates.size() - 1));
        }

        double framesPerSecond(int poseBatch) {
            return 1 / (detectSecondsPerFrame + cropsPerFrame * poseSecondsPerCrop.getOrDefault(poseBatch, 0.0));
        }
    }

    /** One worker run: all frames answered, timed from the first record's arrival to the last PoseFrame read. */
    private record WorkerRun(int poseBatch, List<PoseFrame> answers, double seconds) {
        int persons() {
            return answers.stream().mapToInt(p -> p.getPersons().size()).sum();
        }

        double framesPerSecond() {
            return answers.size() / seconds;
        }

        double personsPerSecond() {
            return persons() / seconds;
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
        check(tableFrames >= 1, "--table-frames must be at least 1, got " + tableFrames);
        check(
                !batchSizes.isEmpty() && batchSizes.stream().allMatch(b -> b >= 1),
                "--batch-sizes must be positive, got " + batchSizes);
        batchSizes = batchSizes.stream().distinct().sorted().toList();
        Path models = this.models.modelsDir();
        if (!this.models.bothGiven()) {
            new ModelPreparer(models, HumanModelsPackage.fromPath()).prepare();
        }
        SampleVideoFrames sample =
                SampleVideoFrames.read(SampleRtspCamera.DEFAULT_VIDEO, frames, CameraConfig.DEFAULT_JPEG_QUALITY);

        RawModels raw;
        WorkerRun worker;
        List<WorkerRun> byBatch = new ArrayList<>();
        String detectorName;
        String poseName;
        InferenceConfig config;
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            config = new InferenceConfig(workerSettings(stack, models, "bench-pipeline-raw", 1));
            try (LoadedModel detectorModel =
                            LoadedModel.load(config.detectorDir(), ModelKind.DETECTOR, config.sessionSettings());
                    LoadedModel poseModel =
                            LoadedModel.load(config.poseDir(), ModelKind.POSE, config.sessionSettings())) {
                detectorName = describe(detectorModel.metadata());
                poseName = describe(poseModel.metadata());
                raw = rawModels(config, detectorModel, poseModel, sample.jpegs());
            }
            int bestBatch = raw.bestPoseBatch(batchSizes);
            worker = runWorker(stack, models, sample, frames, bestBatch);
            for (int batch : batchSizes) {
                byBatch.add(runWorker(stack, models, sample, tableFrames, batch));
            }
        }

        int bestBatch = worker.poseBatch();
        double personsPerFrame = (double) worker.persons() / worker.answers().size();
        double rawFps = raw.framesPerSecond(bestBatch);
        System.out.println("bench pipeline on " + MachineInfo.describe() + "; " + tensorflow());
        System.out.printf(
                "Frames: %d JPEG q%d frames of %s (%dx%d, one in every %d, %.0f KB mean) over %d camera "
                        + "ids; %.2f crops and %.2f persons per frame (after OKS-NMS). Detector %s, pose %s, max %d persons."
                        + "%n%n",
                frames,
                CameraConfig.DEFAULT_JPEG_QUALITY,
                SampleRtspCamera.DEFAULT_VIDEO.getFileName(),
                sample.width(),
                sample.height(),
                sample.step(),
                sample.meanKilobytes(),
                cameras,
                raw.cropsPerFrame(),
                personsPerFrame,
                detectorName,
                poseName,
                FLAGS.values(spec).get(InferenceConfig.MAX_PERSONS));

        BenchTable summary = new BenchTable("path", "frames/s", "persons/s", "how");
        summary.row(
                "(a) models alone",
                rawFps,
                rawFps * personsPerFrame,
                String.format(
                        "detector batch %d: %.1f ms/"
                                + "frame; pose batch %d: %.1f ms/crop x %.2f crops/frame; prepared float inputs, no decode, crops or "
                                + "Kafka",
                        raw.detectorBatch(),
                        raw.detectSecondsPerFrame() * 1e3,
                        bestBatch,
                        raw.poseSecondsPerCrop().getOrDefault(bestBatch, 0.0) * 1e3,
                        raw.cropsPerFrame()));
        summary.row(
                "(b) worker via broker",
                worker.framesPerSecond(),
                worker.personsPerSecond(),
                String.format(
                        "pose batch %d, up to %d frames per batch, %s, %d partitions; %d frames in %.1f s "
                                + "from the first record's arrival to the last PoseFrame read (read_committed)",
                        bestBatch,
                        config.getInt(InferenceConfig.BATCH_FRAMES),
                        config.getString(InferenceConfig.DELIVERY),
                        PARTITIONS,
                        worker.answers().size(),
                        worker.seconds()));
        summary.row(
                "(b)/(a)",
                String.format("%.2f", worker.framesPerSecond() / rawFps),
                String.format("%.2f", worker.personsPerSecond() / (rawFps * personsPerFrame)),
                "goal >= 0.90");
        summary.print(System.out);

        System.out.println();
        System.out.println("Latency per frame in the worker run (b), from the PoseFrames' timings. queue = capture "
                + "(produce) to arrival at the worker: all frames were produced at once, so it is the backlog; "
                + "total = arrival to PoseFrame built. Batched stages are shared out over the frames of a batch.");
        BenchTable latency = new BenchTable("stage", "p50 ms", "p99 ms");
        Map<String, ToDoubleFunction<StageTimings>> stages = new LinkedHashMap<>();
        stages.put("queue", StageTimings::getQueueMs);
        stages.put("decode", StageTimings::getDecodeMs);
        stages.put("detect", StageTimings::getDetectMs);
        stages.put("crop", StageTimings::getCropMs);
        stages.put("pose", StageTimings::getPoseMs);
        stages.put("heatmapDecode", StageTimings::getHeatmapDecodeMs);
        stages.put("total", StageTimings::getTotalMs);
        stages.forEach(
                (name, stage) -> latency.row(name, worker.percentile(stage, 0.5), worker.percentile(stage, 0.99)));
        latency.print(System.out);

        System.out.println();
        System.out.println("Pose batch size (inference.pose.batch): raw = the pose model alone on prepared crops; "
                + "worker = a fresh worker run over the first "
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

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** The worker's settings: the options, then --setting, then what the benchmark must own to be what it says. */
    private Map<String, Object> workerSettings(EmbeddedStack stack, Path models, String id, int poseBatch) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(InferenceConfig.modelDirs(models, this.models.detector(), this.models.pose()));
        config.putAll(FLAGS.values(spec));
        config.putAll(overrides.settings());
        config.put(InferenceConfig.INPUT_TOPIC, id + "-frames");
        config.put(InferenceConfig.OUTPUT_TOPIC, id + "-poses");
        config.put(InferenceConfig.DLQ_TOPIC, Topics.dlq(id + "-frames"));
        config.put(InferenceConfig.GROUP_ID, id);
        config.put(InferenceConfig.TRANSACTIONAL_ID, id);
        // Every frame is posed, however long it waited in the backlog: throughput, not live-ness, is measured.
        config.put(InferenceConfig.STALE_MS, 0L);
        config.put(InferenceConfig.LATEST_ONLY, false); // every frame posed: the benchmark measures throughput
        config.put(InferenceConfig.POSE_BATCH, poseBatch);
        return config;
    }

    /**
     * Times the detector on the frames' resized inputs and the pose network on the crops of the persons it finds,
     * both already turned into tensors; decoding, resizing and cropping happen before the clock starts.
     */
    private RawModels rawModels(
            InferenceConfig config, LoadedModel detectorModel, LoadedModel poseModel, List<byte[]> jpegs) {
        ModelMetadata detectorMetadata = detectorModel.metadata();
        ModelMetadata poseMetadata = poseModel.metadata();
        // The worker's own pipeline steps prepare the inputs, so the raw side is timed on what the worker feeds.
        PersonDetector detector = new PersonDetector(detectorModel, config.detectorSettings());
        TopDownPipeline pipeline = new TopDownPipeline(
                detector, new PoseEstimator(poseModel, config.poseSettings()), config.pipelineSettings());
        int detectorValues = detector.inputSize();
        int cropValues = pipeline.estimator().cropSize();
        float[] detectorInputs = new float[jpegs.size() * detectorValues];
        List<SourceImage> images = new ArrayList<>(jpegs.size());
        float[] crops;
        int totalCrops;
        try {
            for (int i = 0; i < jpegs.size(); i++) {
                images.add(SourceImage.decode(
                        jpegs.get(i), config.pipelineSettings().maxImagePixels()));
                detector.input(images.get(i), detectorInputs, i * detectorValues);
            }
            // The worker's own detector settings find the persons whose crops the pose network gets.
            List<List<Detection>> found = detector.detect(images);
            List<int[]> owners = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                for (int p = 0; p < found.get(i).size(); p++) {
                    owners.add(new int[] {i, p});
                }
            }
            totalCrops = owners.size();
            int maxBatch = batchSizes.get(batchSizes.size() - 1);
            int pool = totalCrops == 0 ? 0 : roundUp(Math.min(totalCrops, RAW_CROPS), maxBatch);
            crops = new float[pool * cropValues];
            for (int c = 0; c < pool; c++) {
                int[] owner = owners.get(c % totalCrops);
                pipeline.crop(images.get(owner[0]), found.get(owner[0]).get(owner[1]), crops, c * cropValues);
            }
        } finally {
            images.forEach(SourceImage::close);
        }

        int detectorLimit = detectorMetadata.maxBatch() > 0 ? detectorMetadata.maxBatch() : Integer.MAX_VALUE;
        int detectorBatch = 1;
        double detectSeconds = Double.MAX_VALUE;
        for (int batch : batchSizes) {
            if (batch <= detectorLimit) {
                double seconds =
                        timePass(detectorModel, detectorInputs, jpegs.size(), batch, detectorMetadata) / jpegs.size();
                if (seconds < detectSeconds) {
                    detectSeconds = seconds;
                    detectorBatch = batch;
                }
            }
        }
        if (detectSeconds == Double.MAX_VALUE) {
            detectSeconds = timePass(detectorModel, detectorInputs, jpegs.size(), 1, detectorMetadata) / jpegs.size();
        }
        Map<Integer, Double> poseSeconds = new LinkedHashMap<>();
        int pool = crops.length / cropValues;
        int poseLimit = poseMetadata.maxBatch() > 0 ? poseMetadata.maxBatch() : Integer.MAX_VALUE;
        for (int batch : batchSizes) {
            if (pool > 0 && batch <= poseLimit) {
                poseSeconds.put(batch, timePass(poseModel, crops, pool, batch, poseMetadata) / pool);
            }
        }
        return new RawModels(detectorBatch, detectSeconds, poseSeconds, (double) totalCrops / jpegs.size());
    }

    /** Seconds for one pass over {@code count} prepared inputs in calls of {@code batch}, after one warm-up call. */
    private static double timePass(LoadedModel model, float[] inputs, int count, int batch, ModelMetadata metadata) {
        int values = metadata.inputWidth() * metadata.inputHeight() * 3;
        List<TFloat32> tensors = new ArrayList<>();
        try {
            for (int start = 0; start < count; start += batch) {
                int n = Math.min(batch, count - start);
                tensors.add(TFloat32.tensorOf(
                        Shape.of(n, metadata.inputHeight(), metadata.inputWidth(), 3),
                        DataBuffers.of(inputs, true, false).slice((long) start * values, (long) n * values)));
            }
            call(model, tensors.get(0));
            long begin = System.nanoTime();
            tensors.forEach(t -> call(model, t));
            return (System.nanoTime() - begin) / 1e9;
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    private static void call(LoadedModel model, TFloat32 input) {
        try (Result result = model.call(Map.of(ModelContract.INPUT, input))) {
            result.size();
        }
    }

    /**
     * A fresh worker on fresh topics: waits for its partitions, poses one warm-up frame (TensorFlow's first calls
     * are slow, a long-running worker pays that once), then produces the frames and reads every PoseFrame.
     */
    private WorkerRun runWorker(EmbeddedStack stack, Path models, SampleVideoFrames sample, int count, int poseBatch)
            throws InterruptedException {
        List<byte[]> jpegs =
                sample.jpegs().subList(0, Math.min(count, sample.jpegs().size()));
        String id = "bench-pipeline-" + UUID.randomUUID().toString().substring(0, 8);
        InferenceConfig config = new InferenceConfig(workerSettings(stack, models, id, poseBatch));
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
            // The warm-up frame also registers the Frame schema, so no record below waits for the registry.
            send(producer, input, List.of(frame(WARM_UP_CAMERA, 0, sample, jpegs.get(0))));
            drain(consumer, output, 1, worker);
            List<Frame> measured = new ArrayList<>(jpegs.size());
            for (int i = 0; i < jpegs.size(); i++) {
                measured.add(frame("cam" + (i % cameras + 1), i / cameras, sample, jpegs.get(i)));
            }
            send(producer, input, measured);
            return timed(drain(consumer, output, jpegs.size(), worker), output, poseBatch);
        }
    }

    private static Frame frame(String camera, long seq, SampleVideoFrames sample, byte[] jpeg) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.now())
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
    private static WorkerRun timed(Drained drained, String topic, int poseBatch) {
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
        return new WorkerRun(poseBatch, drained.answers(), (drained.lastAt() - firstArrival) / 1e3);
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

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
