package io.posestream.bench;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.ActivityType;
import io.posestream.analytics.engine.CameraAnalytics;
import io.posestream.analytics.engine.FrameOutcome;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.CameraRules;
import io.posestream.analytics.rules.LineRule;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.analytics.rules.ZoneRule;
import io.posestream.analytics.streams.ActivityRecords;
import io.posestream.analytics.streams.AnalyticsApp;
import io.posestream.analytics.streams.AnalyticsAppConfig;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.cli.SettingOverrides;
import io.posestream.demo.EmbeddedStack;
import io.posestream.demo.SampleRules;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PoseTrackData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The analytics on the sample camera's footage: the default models' detections, tracked by the default tracker
 * and looped, through the rules of {@code vtest-rules.yaml} (crossings per line, zone activity, falls); then the
 * analytics' throughput through the Streams application next to a raw consumer of the same pose events.
 */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Analytics on the sample camera's footage (tracked, looped): line crossings, zone activity, "
                + "falls; and analytics throughput (Streams app vs raw consume of the same pose events).")
public final class AnalyzeBenchmark implements Callable<Integer> {
    private static final String CAMERA = SampleRules.CAMERA;
    private static final String BUILT_IN_RULES = "vtest-rules.yaml";
    /** Warm-up rounds repeat while the JIT compiled for more than this share of a round's wall time. */
    private static final double MAX_JIT_SHARE = 0.05;

    private static final int MAX_WARM_UPS = 10;

    @Mixin
    FootageSource footage;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = "Rules for camera '" + CAMERA + "' (default: the built-in " + BUILT_IN_RULES + ").")
    Path rulesFile;

    @Option(
            names = "--loops",
            defaultValue = "5",
            description = "Times the footage is played, one after the other (default: ${DEFAULT-VALUE}).")
    int loops;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "10,2",
            description = "Posed frames per second to replay at (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--list-crossings",
            description = "Print every line crossing of the first loop (frame of the video, track, direction), to "
                    + "hold against a count made by looking at the video.")
    boolean listCrossings;

    @Option(
            names = "--throughput-events",
            defaultValue = "200000",
            description = "Pose events for the throughput table, as copies of the footage under more camera ids "
                    + "(at least 8 cameras; default: ${DEFAULT-VALUE}).")
    int throughputEvents;

    @Option(
            names = "--measured-rounds",
            defaultValue = "3",
            description = "Measured throughput rounds after the warm-up, each a row, then their medians (default: "
                    + "${DEFAULT-VALUE}).")
    int measuredRounds;

    @Option(names = "--skip-throughput", description = "Only the footage table.")
    boolean skipThroughput;

    @Mixin
    SettingOverrides overrides;

    @Override
    public Integer call() throws Exception {
        System.out.println("bench analyze on " + MachineInfo.describe());
        PoseTrackData data = footage.load(100_000);
        String rulesText = rulesText();
        CameraRules cameraRules = RulesFile.parse(rulesText, rulesFile == null ? BUILT_IN_RULES : rulesFile.toString())
                .forCamera(CAMERA);
        List<PoseTrackData.FrameRecord> frames =
                data.videos().values().iterator().next();
        BenchTable table = new BenchTable(
                "posed fps",
                "loops",
                "frames",
                "line",
                "crossings +1",
                "crossings -1",
                "zone",
                "enters",
                "max count",
                "falls",
                "hands raised");
        List<PoseEvent> busiest = List.of();
        for (double rate : rates) {
            List<PoseEvent> events = tracked(data, FootageReplay.posed(frames, rate, 1), loops);
            if (events.size() > busiest.size()) {
                busiest = events;
            }
            Map<String, Integer> tally = new LinkedHashMap<>();
            Map<String, Integer> maxCount = new HashMap<>();
            CameraAnalytics analytics = new CameraAnalytics();
            for (PoseEvent event : events) {
                FrameOutcome outcome = analytics.accept(ActivityRecords.view(event, (i, why) -> {}), cameraRules);
                for (Activity a : outcome.activities()) {
                    if (listCrossings && a.type() == ActivityType.LINE_CROSSED) {
                        System.out.printf(
                                Locale.ROOT,
                                "%.1f fps: frame %d (%.1f s), track %d, line %s, direction %+d%n",
                                rate,
                                Math.round((event.getCaptureTime().toEpochMilli()
                                                - events.get(0).getCaptureTime().toEpochMilli())
                                        * footage.videoFps
                                        / 1000),
                                (event.getCaptureTime().toEpochMilli()
                                                - events.get(0).getCaptureTime().toEpochMilli())
                                        / 1000.0,
                                a.trackId(),
                                a.rule(),
                                a.direction());
                    }
                    String key = a.type() == ActivityType.LINE_CROSSED ? a.rule() + a.direction() : a.rule() + a.type();
                    tally.merge(key, 1, Integer::sum);
                }
                outcome.counts().forEach(c -> maxCount.merge(c.zone(), c.count(), Math::max));
            }
            String line = cameraRules.of(LineRule.class).isEmpty()
                    ? "-"
                    : cameraRules.of(LineRule.class).get(0).name();
            String zone = cameraRules.of(ZoneRule.class).isEmpty()
                    ? "-"
                    : cameraRules.of(ZoneRule.class).get(0).name();
            table.row(
                    String.format(Locale.ROOT, "%.1f", rate),
                    loops,
                    events.size(),
                    line,
                    tally.getOrDefault(line + "1", 0),
                    tally.getOrDefault(line + "-1", 0),
                    zone,
                    tally.getOrDefault(zone + ActivityType.ZONE_ENTER, 0),
                    maxCount.getOrDefault(zone, 0),
                    tally.entrySet().stream()
                            .filter(e -> e.getKey().endsWith(ActivityType.FALL.name()))
                            .mapToInt(Map.Entry::getValue)
                            .sum(),
                    tally.entrySet().stream()
                            .filter(e -> e.getKey().endsWith(ActivityType.HANDS_RAISED.name()))
                            .mapToInt(Map.Entry::getValue)
                            .sum());
        }
        System.out.println();
        System.out.println("Footage: " + footage.video.getFileName() + ", the default models' detections ("
                + frames.size()
                + " frames), posed at each rate (irregular intervals below the video's " + footage.videoFps
                + " fps), tracked by the default tracker over " + loops + " loops played one after the other, "
                + "through the rules of " + (rulesFile == null ? BUILT_IN_RULES + " (built in)" : rulesFile) + ":");
        table.print(System.out);
        if (!skipThroughput) {
            throughput(busiest, rulesText, overrides.settings(), throughputEvents);
        }
        return 0;
    }

    /** The rules file's text: the one given, else the built-in one. */
    private String rulesText() throws IOException {
        if (rulesFile != null) {
            return Files.readString(rulesFile);
        }
        return SampleRules.text();
    }

    /** The footage tracked as the tracker would publish it, played {@code loops} times with time running on. */
    private static List<PoseEvent> tracked(PoseTrackData data, List<PoseTrackData.FrameRecord> frames, int loops) {
        CameraTracker tracker = new CameraTracker(TrackerConfig.DEFAULTS);
        long first = frames.get(0).timestampMs();
        long span = frames.get(frames.size() - 1).timestampMs() - first + 100;
        List<PoseEvent> events = new ArrayList<>();
        long seq = 0;
        for (int loop = 0; loop < loops; loop++) {
            for (PoseTrackData.FrameRecord frame : frames) {
                List<Pose> poses = new ArrayList<>();
                for (int a = 0; a < frame.annotations().size(); a++) {
                    poses.add(PoseTrackData.pose(frame.annotations().get(a), data.where(frame, a)));
                }
                long time = 1_700_000_000_000L + loop * span + frame.timestampMs() - first;
                List<TrackedPose> tracks =
                        tracker.accept(seq, time, true, poses).orElseThrow();
                events.add(event(seq++, time, frame, tracks));
            }
        }
        return events;
    }

    private static PoseEvent event(long seq, long time, PoseTrackData.FrameRecord frame, List<TrackedPose> tracks) {
        List<TrackedPerson> persons = new ArrayList<>();
        for (TrackedPose t : tracks) {
            Pose pose = t.smoothed();
            List<Keypoint> keypoints = new ArrayList<>();
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                keypoints.add(new Keypoint((float) pose.x(k), (float) pose.y(k), (float) pose.score(k)));
            }
            persons.add(TrackedPerson.newBuilder()
                    .setTrackId(t.trackId())
                    .setState(TrackState.valueOf(t.phase().name()))
                    .setBox(new Box(
                            (float) pose.box().x1(),
                            (float) pose.box().y1(),
                            (float) pose.box().x2(),
                            (float) pose.box().y2()))
                    .setScore((float) pose.personScore())
                    .setKeypoints(keypoints)
                    .setVelocity(new Velocity((float) t.vx(), (float) t.vy()))
                    .setAge(t.age())
                    .setDetectionIndex(t.matched() ? t.detection() : null)
                    .build());
        }
        return PoseEvent.newBuilder()
                .setCameraId(CAMERA)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(time))
                .setWidth(frame.image().path("width").asInt(768))
                .setHeight(frame.image().path("height").asInt(576))
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(persons)
                .build();
    }

    /**
     * The pose events as several cameras (copies of the footage under other ids, each with the same rules),
     * through the analytics app and through raw consumers: warm-up rounds until the JIT settles (their figures are
     * dropped, or whichever side ran first would pay for compiling the clients), then the measured rounds.
     */
    private void throughput(List<PoseEvent> footage, String rulesText, Map<String, String> settings, int target)
            throws Exception {
        int cameras = Math.max(TrackerBenchmark.PARTITIONS * 2, (target + footage.size() - 1) / footage.size());
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < cameras; c++) {
            ids.add("cam-" + c);
        }
        Path rulesFile = Files.createTempFile("bench-analyze", ".yaml");
        // Every camera gets the footage's rules: the same work as the footage table, per camera.
        Files.writeString(rulesFile, SampleRules.copiedFor(rulesText, ids));
        AnalyticsRules benchRules = RulesFile.load(rulesFile);
        // Camera after camera within each frame, as cameras running side by side would send them.
        List<PoseEvent> events = new ArrayList<>();
        for (PoseEvent event : footage) {
            for (String id : ids) {
                events.add(PoseEvent.newBuilder(event).setCameraId(id).build());
            }
        }
        BenchTable table = new BenchTable(
                "round",
                "pose events",
                "cameras",
                "persons",
                "activity events",
                "raw consume events/s",
                "raw + Avro decode events/s",
                "Streams no-op events/s",
                "analyze events/s",
                "analyze/raw",
                "analyze/(raw + decode)",
                "analyze/Streams no-op",
                "analyze events/s from RUNNING",
                "CPU µs/event: raw / raw + decode / Streams no-op / analyze",
                "process CPU µs/event: raw / raw + decode / Streams no-op / analyze");
        int warmUps = 0;
        double jitShare;
        List<Double> measuredJitShares = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            int activities = activities(events, benchRules);
            long persons = events.stream().mapToLong(e -> e.getPersons().size()).sum();
            // The broker, the clients and Streams are a lot of code for one C2 thread on 2 cores: a single round
            // left it compiling through the measured part (half a core, a third of the machine's CPU there), which
            // a service running for hours does not pay. Warm-up rounds repeat until the JIT settles.
            do {
                JitRound warmUp = jitRound(stack, events, activities, rulesFile, settings);
                warmUps++;
                jitShare = warmUp.jitShare();
                System.out.printf(
                        Locale.ROOT,
                        "warm-up round %d: %.1f s, JIT compiling %.0f%% of it%n",
                        warmUps,
                        warmUp.seconds(),
                        100 * jitShare);
            } while (jitShare > MAX_JIT_SHARE && warmUps < MAX_WARM_UPS);
            // A measured round is a few seconds per side, and the same code swings by a fifth from one round to the
            // next on a shared 2-core machine: several rounds, each its own row, and their medians.
            List<Timing[]> rounds = new ArrayList<>();
            for (int r = 1; r <= measuredRounds; r++) {
                JitRound measured = jitRound(stack, events, activities, rulesFile, settings);
                measuredJitShares.add(measured.jitShare());
                rounds.add(measured.timings());
                throughputRow(
                        table, String.valueOf(r), events.size(), cameras, persons, activities, measured.timings());
            }
            Timing[] medians = new Timing[rounds.get(0).length];
            for (int side = 0; side < medians.length; side++) {
                int s = side;
                medians[side] = Timing.median(rounds.stream().map(t -> t[s]).toList());
            }
            throughputRow(table, "median", events.size(), cameras, persons, activities, medians);
        } finally {
            Files.deleteIfExists(rulesFile);
        }
        System.out.println();
        System.out.println("Throughput: the footage's pose events as " + cameras + " cameras with the same rules, "
                + "embedded KRaft broker in this JVM, " + TrackerBenchmark.PARTITIONS + " partitions, after "
                + "warm-up rounds of the same events through all four until the JIT compiled for under "
                + Math.round(100 * MAX_JIT_SHARE) + "% of a round (here " + warmUps + ", the last at "
                + Math.round(100 * jitShare) + "%), as in a service running for hours; then " + measuredRounds
                + " measured rounds (JIT "
                + measuredJitShares.stream()
                        .map(share -> Math.round(100 * share) + "%")
                        .toList()
                + "), each a row, and the median of each column over them (the ratios are of the medians); "
                + "raw = one byte[] consumer reading "
                + "the input topic, decoding nothing (median of three passes); raw + Avro decode = the same consumer "
                + "decoding every value to a PoseEvent with the project's serde (what any subscriber must do); "
                + "Streams no-op = Kafka Streams with the analytics' settings (threads included) reading the same "
                + "bytes and doing nothing with them (its polls and exactly-once commits: the floor of any Streams app "
                + "here); analyze = the analytics app (exactly_once_v2, commit.interval.ms and num.stream.threads as "
                + "set, default 100 ms and 2 threads: Avro in, rules, in-memory state store + changelog, Avro "
                + "activity events and zone counts out). Rates are steady: a consumer's from its first records "
                + "received to its last, a Streams app's from its first committed transaction until every input "
                + "offset is committed (its outputs readable then); the \"from RUNNING\" column times the analytics "
                + "from RUNNING instead, start-up (transactional producer, stores) included. CPU: of the consumer's "
                + "thread, or of the app's stream threads and their producers' I/O threads, per event over the steady "
                + "part; process CPU: of the whole JVM (broker, clients, GC, JIT) over the same part. "
                + "Goal analyze/raw >= 0.5."
                + (settings.isEmpty() ? "" : " Settings: " + settings + "."));
        table.print(System.out);
    }

    private static void throughputRow(
            BenchTable table, String round, int events, int cameras, long persons, int activities, Timing[] timings) {
        Timing rawTiming = timings[0];
        Timing decodeTiming = timings[1];
        Timing noOpTiming = timings[2];
        Timing analyzeTiming = timings[3];
        double raw = rawTiming.steadyPerSecond();
        double decoded = decodeTiming.steadyPerSecond();
        double noOp = noOpTiming.steadyPerSecond();
        double analyzed = analyzeTiming.steadyPerSecond();
        table.row(
                round,
                events,
                cameras,
                persons,
                activities,
                raw,
                decoded,
                noOp,
                analyzed,
                String.format(Locale.ROOT, "%.2f", analyzed / raw),
                String.format(Locale.ROOT, "%.2f", analyzed / decoded),
                String.format(Locale.ROOT, "%.2f", analyzed / noOp),
                events / analyzeTiming.totalSeconds(),
                String.format(
                        Locale.ROOT,
                        "%.1f / %.1f / %.1f / %.1f",
                        rawTiming.cpuMicrosPerEvent(),
                        decodeTiming.cpuMicrosPerEvent(),
                        noOpTiming.cpuMicrosPerEvent(),
                        analyzeTiming.cpuMicrosPerEvent()),
                String.format(
                        Locale.ROOT,
                        "%.1f / %.1f / %.1f / %.1f",
                        rawTiming.processCpuMicrosPerEvent(),
                        decodeTiming.processCpuMicrosPerEvent(),
                        noOpTiming.processCpuMicrosPerEvent(),
                        analyzeTiming.processCpuMicrosPerEvent()));
    }

    /** One round's timings, its wall time and the share of it the JIT spent compiling (all compiler threads). */
    private record JitRound(Timing[] timings, double seconds, double jitShare) {}

    private static JitRound jitRound(
            EmbeddedStack stack, List<PoseEvent> events, int activities, Path rulesFile, Map<String, String> settings)
            throws Exception {
        var compiler = ManagementFactory.getCompilationMXBean();
        long jitBefore = compiler.getTotalCompilationTime();
        long wallBefore = System.nanoTime();
        Timing[] timings = round(stack, events, activities, rulesFile, settings);
        double millis = (System.nanoTime() - wallBefore) / 1e6;
        return new JitRound(timings, millis / 1e3, (compiler.getTotalCompilationTime() - jitBefore) / millis);
    }

    /** Activity events the engine raises on these pose events (what the app must publish). */
    private static int activities(List<PoseEvent> events, AnalyticsRules rules) {
        int activities = 0;
        Map<String, CameraAnalytics> states = new HashMap<>();
        for (PoseEvent event : events) {
            activities += states.computeIfAbsent(event.getCameraId(), id -> new CameraAnalytics())
                    .accept(ActivityRecords.view(event, (i, why) -> {}), rules.forCamera(event.getCameraId()))
                    .activities()
                    .size();
        }
        return activities;
    }

    /** The events on a topic of their own, then read raw, read and decoded, and analysed: one timing each. */
    private static Timing[] round(
            EmbeddedStack stack, List<PoseEvent> events, int activities, Path rulesFile, Map<String, String> settings)
            throws Exception {
        String input = "bench-pose-events-" + UUID.randomUUID().toString().substring(0, 8);
        String output = input + "-activity";
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(
                    admin,
                    List.of(
                            Topics.dataTopic(input, TrackerBenchmark.PARTITIONS, (short) 1),
                            Topics.dataTopic(output, TrackerBenchmark.PARTITIONS, (short) 1)));
        }
        produce(stack, input, events);
        // A raw pass over 200,000 events takes about a second, so one pass swings with whatever else the machine
        // does; the median of three is the limit reported.
        List<Timing> raw = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            raw.add(consume(stack, input, events.size(), false));
        }
        raw.sort(Comparator.comparingDouble(Timing::steadyPerSecond));
        Timing[] timings = {
            raw.get(1),
            consume(stack, input, events.size(), true),
            streamsNoOp(stack, input, rulesFile, events.size(), settings),
            analyze(stack, input, output, rulesFile, events.size(), activities, settings)
        };
        deleteTopics(stack, input);
        return timings;
    }

    /**
     * Deletes the round's topics (its input, outputs, dead letters and the apps' internal topics all carry the
     * input's name): a round writes ~0.5 GB to the broker's log. Kept, they grew it to ~6 GB by the measured
     * rounds, and the analytics' produce requests then took 5-15 ms instead of ~1.5 ms.
     */
    private static void deleteTopics(EmbeddedStack stack, String input) throws Exception {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            List<String> round = admin.listTopics().names().get().stream()
                    .filter(name -> name.contains(input))
                    .toList();
            admin.deleteTopics(round).all().get();
        }
    }

    /**
     * One consumer reading the topic (read_uncommitted) as bytes, or decoding every value to a {@link PoseEvent}.
     * Steady rate: from the first records received to the last.
     */
    private static Timing consume(EmbeddedStack stack, String topic, int count, boolean decode) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.consumerSizing());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Deserializer<?> values = decode
                ? AvroSerdes.specific(PoseEvent.class, stack.clientConfig(), false)
                        .deserializer()
                : new ByteArrayDeserializer();
        long start = System.nanoTime();
        long firstAt = 0;
        long firstCpu = 0;
        long firstProcessCpu = 0;
        int first = 0;
        int received = 0;
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), values)) {
            consumer.assign(TrackerBenchmark.partitions(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (received < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bench analyze: only " + received + " of " + count
                            + " pose events came back from " + topic + " within 2 minutes");
                }
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null) {
                        received++;
                    }
                }
                if (firstAt == 0 && received > 0) {
                    firstAt = System.nanoTime();
                    firstCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    firstProcessCpu = processCpuNanos();
                    first = received;
                }
            }
        }
        long end = System.nanoTime();
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - firstCpu;
        long processCpu = processCpuNanos() - firstProcessCpu;
        return new Timing(
                (end - start) / 1e9,
                end == firstAt ? Double.NaN : (count - first) / ((end - firstAt) / 1e9),
                cpu / 1e3 / Math.max(1, count - first),
                processCpu / 1e3 / Math.max(1, count - first));
    }

    private static void produce(EmbeddedStack stack, String topic, List<PoseEvent> events) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // One request in flight: with more, a first batch refused while the new topic's partitions were still
        // opening came back after later ones had been written, and the broker refused it as out of sequence.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        var serde = AvroSerdes.specific(PoseEvent.class, stack.clientConfig(), false);
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            for (int i = 0; i < events.size() && failed.get() == null; i++) {
                PoseEvent event = events.get(i);
                producer.send(new ProducerRecord<>(topic, event.getCameraId(), event), (meta, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException(
                    "bench analyze: could not write the pose events to " + topic + ": " + failed.get(), failed.get());
        }
    }

    /**
     * Runs the analytics app over the input. Steady rate: from its first committed transaction (tasks started,
     * transactional producer ready) until the last input offset is committed, with everything output by then
     * readable; total: from RUNNING, start-up included.
     */
    private static Timing analyze(
            EmbeddedStack stack,
            String input,
            String output,
            Path rules,
            int events,
            int activities,
            Map<String, String> settings)
            throws Exception {
        Path stateDir = Files.createTempDirectory("bench-analyze");
        Map<String, Object> config = appConfig(stack, "bench-" + input, stateDir, input, output, rules, settings);
        try (AnalyticsApp app = new AnalyticsApp(new AnalyticsAppConfig(config))) {
            return streamsTiming(stack, app.streams(), app::start, "bench-" + input, events, () -> {
                // All committed, so every activity event is readable now; check that they all came.
                TrackerBenchmark.drain(stack, output, activities, "read_committed");
            });
        } finally {
            FileUtils.deleteQuietly(stateDir.toFile());
        }
    }

    /**
     * Kafka Streams with the analytics' settings (exactly-once, commit interval, consumer sizing) over the same
     * input, doing nothing with each record but reading its bytes: what Streams itself costs, the analytics' floor.
     */
    private static Timing streamsNoOp(
            EmbeddedStack stack, String input, Path rules, int events, Map<String, String> settings) throws Exception {
        Path stateDir = Files.createTempDirectory("bench-analyze");
        String applicationId = "bench-noop-" + input;
        Map<String, Object> config = appConfig(stack, applicationId, stateDir, input, input + "-noop", rules, settings);
        // A new processor per task, as Streams requires of a supplier.
        ProcessorSupplier<byte[], byte[], Void, Void> nothing = () -> new Processor<>() {
            @Override
            public void process(Record<byte[], byte[]> record) {
                // Reading the record is all: the cost measured is Streams' own.
            }
        };
        Topology topology = new Topology()
                .addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input)
                .addProcessor("nothing", nothing, "in");
        try (KafkaStreams streams =
                new KafkaStreams(topology, new StreamsConfig(new AnalyticsAppConfig(config).streamsConfig()))) {
            return streamsTiming(stack, streams, streams::start, applicationId, events, () -> {});
        } finally {
            FileUtils.deleteQuietly(stateDir.toFile());
        }
    }

    private static Map<String, Object> appConfig(
            EmbeddedStack stack,
            String applicationId,
            Path stateDir,
            String input,
            String output,
            Path rules,
            Map<String, String> settings) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(AnalyticsAppConfig.APPLICATION_ID, applicationId);
        config.put(AnalyticsAppConfig.STATE_DIR, stateDir.toString());
        config.put(AnalyticsAppConfig.RULES_FILE, rules.toString());
        config.put(AnalyticsAppConfig.INPUT_TOPIC, input);
        config.put(AnalyticsAppConfig.OUTPUT_TOPIC, output);
        config.put(AnalyticsAppConfig.COUNTS_TOPIC, output + "-counts");
        config.put(AnalyticsAppConfig.DLQ_TOPIC, Topics.dlq(input));
        config.put("consumer.max.poll.records", 2000);
        config.putAll(settings);
        return config;
    }

    /**
     * Starts a Streams app over the input and times it. Steady rate: from its first committed transaction (tasks
     * started, transactional producer ready) until the last input offset is committed, with everything output by
     * then readable ({@code whenDone} checks that); total: from RUNNING, start-up included.
     */
    private static Timing streamsTiming(
            EmbeddedStack stack,
            KafkaStreams streams,
            Runnable start,
            String applicationId,
            int events,
            Runnable whenDone)
            throws Exception {
        AtomicLong runningAt = new AtomicLong();
        try (Admin admin = Admin.create(stack.clientConfig())) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    runningAt.compareAndSet(0, System.nanoTime());
                }
            });
            start.run();
            long firstAt = 0;
            long firstCpu = 0;
            long firstProcessCpu = 0;
            long firstCommitted = 0;
            String streamThreads = "-StreamThread-";
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                long committed =
                        admin
                                .listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .values()
                                .stream()
                                .filter(Objects::nonNull)
                                .mapToLong(OffsetAndMetadata::offset)
                                .sum();
                long now = System.nanoTime();
                if (committed > 0 && firstAt == 0) {
                    firstAt = now;
                    firstCpu = cpuNanos(streamThreads);
                    firstProcessCpu = processCpuNanos();
                    firstCommitted = committed;
                }
                if (committed >= events) {
                    long cpu = cpuNanos(streamThreads) - firstCpu;
                    long processCpu = processCpuNanos() - firstProcessCpu;
                    System.out.println(applicationId + " stream thread, share of wall time: " + threadRatios(streams));
                    System.out.println(applicationId + " clients: " + clientFigures(streams));
                    whenDone.run();
                    return new Timing(
                            (now - runningAt.get()) / 1e9,
                            now == firstAt ? Double.NaN : (events - firstCommitted) / ((now - firstAt) / 1e9),
                            cpu / 1e3 / Math.max(1, events - firstCommitted),
                            processCpu / 1e3 / Math.max(1, events - firstCommitted));
                }
                if (now > deadline) {
                    throw new IllegalStateException("bench analyze: only " + committed + " of " + events
                            + " pose events committed by " + applicationId + " within 2 minutes");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Seconds in all, events per second once going (after the start-up), and the CPU time the consuming thread
     * (the stream thread for the analytics) spent per event meanwhile, in microseconds: what the other work on a
     * shared machine changes least.
     */
    record Timing(
            double totalSeconds, double steadyPerSecond, double cpuMicrosPerEvent, double processCpuMicrosPerEvent) {
        /** Each figure's median over the timings (the upper one of an even count). */
        static Timing median(List<Timing> timings) {
            return new Timing(
                    median(timings, Timing::totalSeconds),
                    median(timings, Timing::steadyPerSecond),
                    median(timings, Timing::cpuMicrosPerEvent),
                    median(timings, Timing::processCpuMicrosPerEvent));
        }

        private static double median(List<Timing> timings, java.util.function.ToDoubleFunction<Timing> figure) {
            double[] values = timings.stream().mapToDouble(figure).sorted().toArray();
            return values[values.length / 2];
        }
    }

    /**
     * CPU time (ns) of the whole JVM: the broker, every client, GC and JIT. On a saturated machine this, not the
     * reading thread's own time, bounds the rate.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Streams' own split of a stream thread's time (poll, process, punctuate, commit), over its last window. */
    private static String threadRatios(KafkaStreams streams) {
        Map<String, double[]> ratios = new TreeMap<>(summed(
                streams,
                name -> name.group().equals("stream-thread-metrics")
                                && name.name().endsWith("-ratio")
                        ? name.name()
                        : null));
        StringBuilder text = new StringBuilder();
        // Each thread's shares add up to one: with several threads, their mean.
        ratios.forEach((name, sum) -> text.append(String.format(Locale.ROOT, "%s %.2f ", name, sum[0] / sum[1])));
        return text.toString().trim();
    }

    /**
     * Where the stream thread's waits go: its consumer's fetches (latency, records per request) and its producer's
     * exactly-once work (time in flush, sending offsets and committing transactions, since the app started).
     */
    private static String clientFigures(KafkaStreams streams) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("consumer-fetch-manager-metrics/fetch-latency-avg", "fetch latency ms");
        wanted.put("consumer-fetch-manager-metrics/records-per-request-avg", "records per fetch");
        wanted.put("consumer-fetch-manager-metrics/fetch-rate", "fetches/s");
        wanted.put("producer-metrics/request-latency-avg", "produce latency ms");
        wanted.put("producer-metrics/flush-time-ns-total", "flush s");
        wanted.put("producer-metrics/txn-send-offsets-time-ns-total", "send offsets s");
        wanted.put("producer-metrics/txn-commit-time-ns-total", "txn commit s");
        wanted.put("producer-metrics/txn-begin-time-ns-total", "txn begin s");
        Map<String, double[]> values = summed(streams, name -> {
            String key = name.group() + "/" + name.name();
            // The restore consumer and the admin client have the same metric names; only the stream thread's.
            boolean restore = name.tags().getOrDefault("client-id", "").endsWith("restore-consumer");
            return wanted.containsKey(key) && !restore ? key : null;
        });
        StringBuilder text = new StringBuilder();
        wanted.forEach((key, label) -> {
            double[] sum = values.get(key);
            if (sum != null) {
                // One client per stream thread: averages are averaged, rates and totals added up.
                double value = key.endsWith("-avg") ? sum[0] / sum[1] : sum[0];
                text.append(String.format(
                        Locale.ROOT, "%s %.2f, ", label, key.endsWith("-ns-total") ? value / 1e9 : value));
            }
        });
        return text.toString().replaceAll(", $", "");
    }

    /**
     * The app's metrics (one per thread or client) summed under the key {@code keyOf} gives their name (those it
     * gives null are left out), with how many were summed: {sum, count}. NaN values (nothing recorded yet) are left
     * out.
     */
    private static Map<String, double[]> summed(KafkaStreams streams, Function<MetricName, String> keyOf) {
        Map<String, double[]> sums = new HashMap<>();
        streams.metrics().forEach((name, metric) -> {
            String key = keyOf.apply(name);
            if (key != null && metric.metricValue() instanceof Double value && !value.isNaN()) {
                double[] sum = sums.computeIfAbsent(key, k -> new double[2]);
                sum[0] += value;
                sum[1]++;
            }
        });
        return sums;
    }

    /** CPU time (ns) of the live threads whose names contain {@code part} (only this app's Streams run here). */
    private static long cpuNanos(String part) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(part)) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }
}
