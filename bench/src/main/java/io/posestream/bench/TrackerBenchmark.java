package io.posestream.bench;

import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.cli.SettingOverrides;
import io.posestream.demo.EmbeddedStack;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.streams.TrackerApp;
import io.posestream.tracker.streams.TrackerAppConfig;
import io.posestream.tracker.synth.QualityComparison;
import io.posestream.tracker.synth.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Tracked poses per second through the Streams application next to a raw consumer reading the same topic in the
 * same run, for 1, 10 and 50 persons per frame; then the tracking quality of the tracker and the greedy OKS
 * baseline on every synthetic scenario.
 */
@Command(
        name = "tracker",
        mixinStandardHelpOptions = true,
        description = "Tracker throughput (Streams app vs raw consume of the same topic, 1/10/50 persons per frame) "
                + "and tracking quality (MOTA, IDF1, ID switches) vs the greedy OKS baseline per scenario.")
public final class TrackerBenchmark implements Callable<Integer> {
    static final int PARTITIONS = 4;
    private static final int CAMERAS = 8;

    @Option(
            names = "--poses",
            description =
                    "Poses per throughput run; frames = poses / persons per frame " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "30000")
    int poses;

    @Option(
            names = "--seeds",
            description = "Seeds per scenario in the quality table (default: ${DEFAULT-VALUE}; one seed's IDF1 on a "
                    + "calibrated scene varies by about 5 points, so a mean of 20 is good to about 2).",
            defaultValue = "20")
    int seeds;

    @Mixin
    SettingOverrides overrides;

    @Option(names = "--skip-throughput", description = "Only the quality table.")
    boolean skipThroughput;

    @Option(names = "--skip-quality", description = "Only the throughput table.")
    boolean skipQuality;

    @Override
    public Integer call() throws Exception {
        System.out.println("bench tracker on " + MachineInfo.describe());
        if (!skipThroughput) {
            throughput();
        }
        if (!skipQuality) {
            quality();
        }
        return 0;
    }

    private void throughput() throws Exception {
        BenchTable table = new BenchTable(
                "persons/frame", "frames", "raw consume poses/s", "tracker poses/s", "tracker frames/s", "tracker/raw");
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            for (int persons : new int[] {1, 10, 50}) {
                int frames = Math.max(CAMERAS, poses / persons);
                String input = "bench-poses-" + persons + "-"
                        + UUID.randomUUID().toString().substring(0, 8);
                String output = input + "-events";
                try (Admin admin = Admin.create(stack.clientConfig())) {
                    Topics.ensure(
                            admin,
                            List.of(
                                    Topics.dataTopic(input, PARTITIONS, (short) 1),
                                    Topics.dataTopic(output, PARTITIONS, (short) 1)));
                }
                produce(stack, input, frames, persons);
                double rawSeconds = drain(stack, input, frames, "read_uncommitted");
                double trackSeconds = track(stack, input, output, frames, overrides.settings());
                double raw = (double) frames * persons / rawSeconds;
                double tracked = (double) frames * persons / trackSeconds;
                table.row(persons, frames, raw, tracked, frames / trackSeconds, String.format("%.2f", tracked / raw));
            }
        }
        System.out.println();
        System.out.println("Throughput: embedded KRaft broker in this JVM, " + PARTITIONS + " partitions, " + CAMERAS
                + " cameras; raw = one byte[] consumer reading the input topic; tracker = the Streams app "
                + "(exactly_once_v2, commit 100 ms, 1 thread: Avro in, tracking, state store + changelog, Avro out), "
                + "timed from RUNNING until its last event is readable (read_committed). Goal tracker/raw >= 0.5."
                + (overrides.settings().isEmpty() ? "" : " Settings: " + overrides.settings() + "."));
        table.print(System.out);
    }

    private void quality() {
        // Seeds 1001 on: the defaults were tuned on seeds 1-3, so the tables report scenes not used for tuning.
        List<Long> seedList = LongStream.rangeClosed(1001, 1000 + seeds).boxed().toList();
        // Tracker settings given with --setting apply here too, so each part's worth can be measured by turning it off.
        Map<String, String> trackerSettings = TrackerOverrides.settings(overrides);
        TrackerConfig config = TrackerOverrides.config(overrides);
        List<QualityComparison.Row> rows = QualityComparison.run(config, seedList);
        System.out.println();
        System.out.println("Quality: synthetic scenes (track synth), seeds 1001.." + (1000 + seeds)
                + " (held out: the defaults were tuned on seeds 1-3). MOTA and IDF1: means over seeds (percent, "
                + "per-joint PoseTrack evaluation, PCKh@0.5, keypoints as published); ID switches per minute: "
                + "switches of whole persons over all seeds' minutes. Baseline: greedy OKS >= "
                + QualityComparison.BASELINE_MIN_OKS + " to the previous frame, no motion model, same detections "
                + "and score threshold. Perfect ids: the detections' limit, every detection of a person (at least half "
                + "of the person's visible joints within the threshold) with that person's true id and the rest "
                + "(clutter, false positives) left out; a tracker passes it only by reporting people through frames "
                + "where the detector missed them. Tracker: "
                + (trackerSettings.isEmpty() ? "defaults " : trackerSettings + " ")
                + config);
        System.out.println();
        System.out.println("Clean scenes (1280x720, 25 posed frames/s, confident scores); goal MOTA and IDF1 >= 90 "
                + "except the two stress scenes (30% missed, 3.5% jitter):");
        table(rows.stream().filter(r -> !r.scenario().calibrated()).toList(), false);
        System.out.println();
        System.out.println("Calibrated scenes (the default models on the sample camera as bench footage measured "
                + "them: 768x576, people 55-125 px, ~2 posed frames/s at irregular intervals, scores 0.2-0.5); goal "
                + "MOTA >= 70, IDF1 >= 85, ID switches <= 3/min, except the stress scene four-cameras (0.9 posed "
                + "frames/s):");
        table(rows.stream().filter(r -> r.scenario().calibrated()).toList(), true);
    }

    private static void table(List<QualityComparison.Row> rows, boolean calibrated) {
        BenchTable table = new BenchTable(
                "scenario",
                "MOTA tracker",
                "MOTA baseline",
                "MOTA perfect ids",
                "IDF1 tracker",
                "IDF1 baseline",
                "IDF1 perfect ids",
                "IDSW/min tracker",
                "IDSW/min baseline",
                "tracker better",
                "goal");
        for (QualityComparison.Row row : rows) {
            boolean stress = row.scenario() == Scenario.MISSED_DETECTIONS
                    || row.scenario() == Scenario.JITTER
                    || row.scenario() == Scenario.FOUR_CAMERAS;
            String goal;
            if (stress) {
                goal = "(stress)";
            } else if (calibrated) {
                goal = row.trackerMota() >= 70 && row.trackerIdf1() >= 85 && row.trackerSwitchesPerMinute() <= 3
                        ? "met"
                        : "NOT met";
            } else {
                goal = row.trackerMota() >= 90 && row.trackerIdf1() >= 90 ? "met" : "NOT met";
            }
            table.row(
                    row.scenario().cliName(),
                    row.trackerMota(),
                    row.baselineMota(),
                    row.perfectMota(),
                    row.trackerIdf1(),
                    row.baselineIdf1(),
                    row.perfectIdf1(),
                    row.trackerSwitchesPerMinute(),
                    row.baselineSwitchesPerMinute(),
                    row.trackerBetter() ? "yes" : "NO",
                    goal);
        }
        table.print(System.out);
    }

    private static void produce(EmbeddedStack stack, String topic, int frames, int persons) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.producerSizing());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // One batch in flight per partition: right after topic creation the first batch can be refused (leader not
        // ready) while later ones are taken, and the idempotent producer then never gets its sequence back in order.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        AvroSerde<PoseFrame> serde = AvroSerdes.specific(PoseFrame.class, stack.clientConfig(), false);
        Random random = new Random(persons);
        AtomicReference<Exception> failure = new AtomicReference<>();
        double[][] start = new double[CAMERAS * persons][2];
        for (double[] p : start) {
            p[0] = random.nextDouble() * 1200;
            p[1] = 300 + random.nextDouble() * 400;
        }
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            for (int f = 0; f < frames; f++) {
                int camera = f % CAMERAS;
                long seq = f / CAMERAS;
                List<Person> people = new ArrayList<>(persons);
                for (int p = 0; p < persons; p++) {
                    double[] origin = start[camera * persons + p];
                    double x = (origin[0] + seq * 4 * (p % 2 == 0 ? 1 : -1) % 1280 + 1280) % 1280;
                    people.add(person(x, origin[1], 0.5 * origin[1], random));
                }
                PoseFrame frame = PoseFrame.newBuilder()
                        .setCameraId("cam-" + camera)
                        .setSeq(seq)
                        .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + seq * 40))
                        .setProcessedTime(Instant.ofEpochMilli(1_700_000_000_000L + seq * 40 + 30))
                        .setWidth(1280)
                        .setHeight(720)
                        .setStatus(FrameStatus.POSED)
                        .setStatusDetail(null)
                        .setDetectorModel("bench")
                        .setPoseModel("bench")
                        .setTimings(new StageTimings(0f, 0f, 0f, 0f, 0f, 0f, 0f))
                        .setPersons(people)
                        .build();
                producer.send(new ProducerRecord<>(topic, frame.getCameraId(), frame), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "bench tracker: producing to " + topic + " failed: " + failure.get(), failure.get());
        }
    }

    private static Person person(double cx, double footY, double height, Random random) {
        List<Keypoint> keypoints = new ArrayList<>(17);
        for (int k = 0; k < 17; k++) {
            double y = footY - height * (0.95 - k * 0.055);
            double x = cx + (k % 2 == 0 ? 1 : -1) * 0.08 * height;
            keypoints.add(new Keypoint((float) (x + random.nextGaussian()), (float) (y + random.nextGaussian()), 0.9f));
        }
        return new Person(
                new Box((float) (cx - 0.17 * height), (float) (footY - height), (float) (cx + 0.17 * height), (float)
                        footY),
                0.9f,
                keypoints,
                null);
    }

    /** Reads {@code count} records of every partition of {@code topic}; returns the seconds it took. */
    /** Every partition of a benchmark topic (they are made with {@link #PARTITIONS}). */
    static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    static double drain(EmbeddedStack stack, String topic, int count, String isolation) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.consumerSizing());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long start = System.nanoTime();
        int received = 0;
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (received < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bench tracker: only " + received + " of " + count
                            + " records came back from " + topic + " within 2 minutes");
                }
                received += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs the tracker app over the input; seconds from RUNNING until all events are readable. */
    private static double track(
            EmbeddedStack stack, String input, String output, int frames, Map<String, String> settings)
            throws IOException {
        Path stateDir = Files.createTempDirectory("bench-tracker");
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(TrackerAppConfig.APPLICATION_ID, "bench-" + input);
        config.put(TrackerAppConfig.STATE_DIR, stateDir.toString());
        config.put(TrackerAppConfig.INPUT_TOPIC, input);
        config.put(TrackerAppConfig.OUTPUT_TOPIC, output);
        config.put(TrackerAppConfig.DLQ_TOPIC, Topics.dlq(input));
        config.put("consumer.max.poll.records", 2000);
        config.putAll(settings);
        AtomicLong runningAt = new AtomicLong();
        try (TrackerApp app = new TrackerApp(new TrackerAppConfig(config))) {
            app.streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    runningAt.compareAndSet(0, System.nanoTime());
                }
            });
            app.start();
            drain(stack, output, frames, "read_committed");
            long end = System.nanoTime();
            return (end - runningAt.get()) / 1e9;
        } finally {
            // Quietly: a cleanup failure must not hide the run's own exception.
            FileUtils.deleteQuietly(stateDir.toFile());
        }
    }
}
