package io.posestream.bench;

import io.posestream.cli.ConnectorRest;
import io.posestream.demo.EmbeddedStack;
import io.posestream.faults.PosestreamLauncher;
import io.posestream.faults.ServiceProcess;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bench ingest --connect}: the same cameras run by the {@code ingest} process and by a {@code posestream
 * connect} worker (exactly-once), each in its own JVM, measured by the CPU time its whole process uses per second of
 * live camera time; then the failover time from a worker's SIGKILL to its cameras' next frame on the other worker.
 */
public final class ConnectBenchmark {
    private static final String CONNECTOR_CLASS = "io.posestream.connect.RtspSourceConnector";
    private static final Duration START = Duration.ofSeconds(180);
    private static final double FPS = 5;

    /** A video file to run as {@code cameras} cameras. */
    public record Clip(String name, Path file, int cameras) {}

    private final Duration warmup;
    private final Duration window;
    private final Path workDir;

    public ConnectBenchmark(Duration warmup, Duration window, Path workDir) {
        this.warmup = warmup;
        this.window = window;
        this.workDir = workDir;
    }

    /** One process's figures over the measuring window. */
    private record Usage(double framesPerSecond, double coresUsed) {
        /** Cameras at the target rate this process serves per core: frames delivered, in cameras, per core used. */
        double camerasPerCore() {
            return framesPerSecond / FPS / coresUsed;
        }
    }

    /** How the connector's cameras are laid out over tasks and transactions. */
    private enum Layout {
        TASK_PER_CAMERA("one task per camera, a transaction per poll", true, null),
        ONE_TASK("one task for all cameras, a transaction every 200 ms", false, "200");

        final String description;
        final boolean taskPerCamera;
        final String transactionIntervalMs;

        Layout(String description, boolean taskPerCamera, String transactionIntervalMs) {
            this.description = description;
            this.taskPerCamera = taskPerCamera;
            this.transactionIntervalMs = transactionIntervalMs;
        }
    }

    public void run(List<Clip> clips, PrintStream out) throws Exception {
        Files.createDirectories(workDir);
        String loadBefore = loadAverage();
        BenchTable capacity = new BenchTable(
                "video",
                "cameras",
                "process",
                "frames/s delivered (target: cameras x " + (int) FPS + " fps)",
                "cores used (process CPU s / s)",
                "cameras per core (frames delivered / " + (int) FPS + " fps / cores used)",
                "connect / ingest");
        BenchTable failover = new BenchTable(
                "worker liveness settings",
                "cameras moved",
                "SIGKILL to first frame on the other worker, s (min)",
                "(max)");
        try (EmbeddedStack stack = EmbeddedStack.start(4, 0)) {
            for (Clip clip : clips) {
                Usage ingest = ingestProcess(stack, clip);
                capacity.row(
                        clip.name(),
                        clip.cameras(),
                        "ingest process",
                        ingest.framesPerSecond(),
                        ingest.coresUsed(),
                        ingest.camerasPerCore(),
                        "");
                for (Layout layout : Layout.values()) {
                    Usage connect = connectWorker(stack, clip, layout);
                    capacity.row(
                            clip.name(),
                            clip.cameras(),
                            "connect worker, " + layout.description,
                            connect.framesPerSecond(),
                            connect.coresUsed(),
                            connect.camerasPerCore(),
                            String.format("%.2f", connect.camerasPerCore() / ingest.camerasPerCore()));
                }
            }
            try (SampleRtspCamera camera =
                    new SampleRtspCamera(SampleRtspCamera.DEFAULT_VIDEO, "127.0.0.1", 0, "cam1", 4).start()) {
                failover(
                        stack,
                        camera,
                        "defaults: session.timeout.ms 10000, rebalance delay 10000",
                        List.of(),
                        failover);
                failover(
                        stack,
                        camera,
                        "session.timeout.ms 6000, heartbeat 1000, rebalance delay 3000",
                        List.of(
                                "--rebalance-delay-ms",
                                "3000",
                                "--worker",
                                "session.timeout.ms=6000",
                                "--worker",
                                "heartbeat.interval.ms=1000"),
                        failover);
            }
        }
        out.println("Cameras per core: file cameras of one H.264 video (looping, paced at its "
                + "own 10 fps, every frame decoded, sampled to " + FPS + " fps, JPEG q80), run by the ingest process "
                + "and by one posestream connect worker (exactly-once) in two task layouts, each in its own JVM "
                + "(-Xmx512m) against the same embedded broker and registry. Frames delivered = records with a "
                + "producer timestamp in the window, read_committed. Cores used = the whole process's CPU time "
                + "(decode, JPEG, Avro, Kafka clients, and for the worker Connect's herder, transactions and offsets) "
                + "over " + window.toSeconds() + " s of wall time after " + warmup.toSeconds() + " s of warm-up. "
                + "The warm-up covers the JIT: a Connect worker has several times ingest's code to compile, and its "
                + "compiler threads stay busy for about a minute after the start. Each video runs as many cameras as "
                + "keep an ingest process at a similar fraction of a core, so the worker's fixed cost (herder, group "
                + "heartbeats, internal topics: about 0.02 cores idle) is shared as on a worker that has work. "
                + "A process short of CPU delivers fewer frames, which the cameras-per-core figure accounts for. "
                + "Goal: connect / ingest >= 0.9.");
        capacity.print(out);
        out.println();
        out.println("Failover: two workers, four RTSP cameras of the sample camera (768x576, one task each); the worker"
                + " holding tasks is killed with SIGKILL; time from the kill to the first frame of each of its "
                + "cameras sent by the other worker (the record's producer timestamp), as a read_committed consumer "
                + "sees it. It is session.timeout.ms (the group notices) + the rebalance delay (Connect waits for the "
                + "worker to return) + task start and camera connect.");
        failover.print(out);
        out.println();
        out.println("Load average before: " + loadBefore + "; after: " + loadAverage()
                + " (other work on this machine shares its cores; cores used counts this process's CPU only).");
    }

    private Usage ingestProcess(EmbeddedStack stack, Clip clip) throws Exception {
        String topic = topic(stack, "bench-ingest-" + clip.name());
        Path cameraFile = workDir.resolve("cameras-" + clip.name() + ".yaml");
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= clip.cameras(); i++) {
            yaml.append("- id: c")
                    .append(i)
                    .append("\n  url: ")
                    .append(clip.file())
                    .append("\n  fps: ")
                    .append(FPS)
                    .append("\n  loop: true\n  realtime: true\n");
        }
        Files.writeString(cameraFile, yaml.toString());
        try (ServiceProcess ingest = child(
                "ingest " + clip.name(),
                List.of(
                        "ingest",
                        "--cameras",
                        cameraFile.toString(),
                        "--topic",
                        topic,
                        "--bootstrap-servers",
                        stack.bootstrapServers(),
                        "--schema-registry-url",
                        stack.registryUrl(),
                        "--metrics-port",
                        "-1"),
                workDir.resolve("ingest-" + clip.name() + ".log"))) {
            return measure(stack, topic, ingest, clip.cameras());
        }
    }

    private Usage connectWorker(EmbeddedStack stack, Clip clip, Layout layout) throws Exception {
        String run = clip.name() + "-" + layout.name().toLowerCase(java.util.Locale.ROOT);
        String topic = topic(stack, "bench-connect-" + run);
        try (ServiceProcess worker = worker(stack, "bench-" + run, "worker " + run, List.of())) {
            Map<String, String> config = connector(stack, topic, clip.cameras());
            if (!layout.taskPerCamera) {
                config.put("tasks.max", "1");
            }
            if (layout.transactionIntervalMs != null) {
                config.put("transaction.boundary", "interval");
                config.put("transaction.boundary.interval.ms", layout.transactionIntervalMs);
            }
            for (int i = 1; i <= clip.cameras(); i++) {
                config.put("camera.c" + i + ".url", clip.file().toString());
            }
            config.put("cameras", ids(clip.cameras()));
            config.put("loop", "true");
            config.put("realtime", "true");
            put(new ConnectorRest(restUrl(worker)), "bench", config);
            return measure(stack, topic, worker, clip.cameras());
        }
    }

    /** Frames delivered and process CPU over the window, after the warm-up; frames counted by producer time. */
    private Usage measure(EmbeddedStack stack, String topic, ServiceProcess process, int cameras) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumer(stack, topic)) {
            long warm = System.currentTimeMillis() + warmup.toMillis();
            long seen = 0;
            while (System.currentTimeMillis() < warm || seen < cameras) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
                if (System.currentTimeMillis() > warm + START.toMillis()) {
                    throw new IllegalStateException(process.name() + " delivered no frames:\n" + process.tail(4000));
                }
            }
            long cpuStart = process.cpuTime().toNanos();
            long wallStart = System.currentTimeMillis();
            Thread.sleep(window.toMillis());
            long cpuEnd = process.cpuTime().toNanos();
            long wallEnd = System.currentTimeMillis();
            long frames = 0;
            long drainUntil = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < drainUntil) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.timestamp() >= wallStart && record.timestamp() < wallEnd) {
                        frames++;
                    }
                }
            }
            double seconds = (wallEnd - wallStart) / 1000.0;
            return new Usage(frames / seconds, (cpuEnd - cpuStart) / 1e9 / seconds);
        }
    }

    private void failover(
            EmbeddedStack stack, SampleRtspCamera camera, String label, List<String> liveness, BenchTable table)
            throws Exception {
        String group = "bench-failover-" + Integer.toHexString(label.hashCode());
        String topic = topic(stack, group);
        List<ServiceProcess> workers = new ArrayList<>();
        try {
            for (String name : List.of("a", "b")) {
                workers.add(worker(stack, group, "failover worker " + name, liveness));
            }
            Map<String, URI> urls = new LinkedHashMap<>();
            for (ServiceProcess worker : workers) {
                urls.put(worker.name(), restUrl(worker));
            }
            ConnectorRest rest = new ConnectorRest(urls.values().iterator().next());
            Map<String, String> config = connector(stack, topic, 4);
            config.put("cameras", "cam1,cam2,cam3,cam4");
            for (int i = 1; i <= 4; i++) {
                config.put("camera.cam" + i + ".url", camera.url("cam" + i));
            }
            config.put("tasks.max", "4");
            put(rest, "failover", config);
            try (KafkaConsumer<String, byte[]> consumer = consumer(stack, topic)) {
                Map<String, Long> lastSeen = new HashMap<>();
                Map<String, String> placement = Map.of();
                long deadline = System.currentTimeMillis() + START.toMillis();
                while (lastSeen.size() < 4 || Set.copyOf(placement.values()).size() < 2) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        lastSeen.put(record.key(), record.timestamp());
                    }
                    placement = placement(rest.status("failover"));
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("failover bench: cameras or tasks did not spread: "
                                + lastSeen.keySet() + " " + placement);
                    }
                }
                ServiceProcess victim = workers.get(0);
                String victimId = urls.get(victim.name()).getHost() + ":"
                        + urls.get(victim.name()).getPort();
                List<String> moved = new ArrayList<>();
                placement.forEach((cameraId, worker) -> {
                    if (worker.equals(victimId)) {
                        moved.add(cameraId);
                    }
                });
                long killedAt = System.currentTimeMillis();
                victim.kill();
                Map<String, Long> resumed = new HashMap<>();
                long end = killedAt + START.toMillis();
                while (resumed.size() < moved.size() && System.currentTimeMillis() < end) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (moved.contains(record.key()) && record.timestamp() > killedAt) {
                            resumed.putIfAbsent(record.key(), record.timestamp() - killedAt);
                        }
                    }
                }
                if (resumed.size() < moved.size()) {
                    throw new IllegalStateException("failover bench: " + moved + " did not resume; "
                            + workers.get(1).tail(4000));
                }
                double min = resumed.values().stream()
                                .mapToLong(Long::longValue)
                                .min()
                                .orElse(0)
                        / 1000.0;
                double max = resumed.values().stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(0)
                        / 1000.0;
                table.row(label, String.join(",", moved), min, max);
            }
        } finally {
            for (ServiceProcess worker : workers) {
                worker.close();
            }
        }
    }

    /** Camera of each task, by worker, from a status answer (one camera per task, dealt in order). */
    private static Map<String, String> placement(ConnectorRest.Answer status) {
        Map<String, String> placement = new LinkedHashMap<>();
        if (status.ok()) {
            status.body().path("tasks").forEach(task -> {
                if (task.path("state").asText().equals("RUNNING")) {
                    placement.put(
                            "cam" + (task.path("id").asInt() + 1),
                            task.path("worker_id").asText());
                }
            });
        }
        return placement;
    }

    /** A worker of Connect cluster {@code group}; {@code extra} are more options (liveness settings). */
    private ServiceProcess worker(EmbeddedStack stack, String group, String name, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "connect",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.registryUrl(),
                "--group-id",
                group,
                "--rest-address",
                "127.0.0.1",
                "--rest-port",
                "0",
                "--metrics-port",
                "-1"));
        args.addAll(extra);
        return child(name, args, workDir.resolve(name.replace(' ', '-') + ".log"));
    }

    /** {@code posestream ARGS} in a child JVM on this JVM's class path, started; its console copied to {@code log}. */
    private static ServiceProcess child(String name, List<String> args, Path log) {
        List<String> command = PosestreamLauncher.ofClassPath(System.getProperty("java.class.path"))
                .command(List.of("-Xmx512m"), args);
        return new ServiceProcess(name, command, Map.of(), log, -1).start();
    }

    /** The worker's REST URL once it listens. */
    private static URI restUrl(ServiceProcess worker) throws InterruptedException {
        return URI.create(worker.awaitOutput(ConnectorRest.PRINTED_URL, START));
    }

    private Map<String, String> connector(EmbeddedStack stack, String topic, int cameras) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", Integer.toString(cameras));
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("exactly.once.support", "required");
        config.put("schema.registry.url", stack.registryUrl());
        config.put("topic", topic);
        config.put("fps", Double.toString(FPS));
        return config;
    }

    private static String ids(int cameras) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= cameras; i++) {
            ids.add("c" + i);
        }
        return String.join(",", ids);
    }

    private static void put(ConnectorRest rest, String name, Map<String, String> config) throws Exception {
        long deadline = System.currentTimeMillis() + START.toMillis();
        while (true) {
            ConnectorRest.Answer answer = rest.put(name, config);
            if (answer.ok()) {
                return;
            }
            if (answer.status() != 409 || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("connector " + name + " refused: " + answer.body());
            }
            Thread.sleep(500);
        }
    }

    private static String topic(EmbeddedStack stack, String name) {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(admin, List.of(Topics.dataTopic(name, 4, (short) 1)));
        }
        return name;
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedStack stack, String topic) {
        Map<String, Object> config = new HashMap<>(Topics.consumerSizing());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8)
                    .split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1/5/15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
