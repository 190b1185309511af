package io.posestream.app.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.cli.ConnectorRest;
import io.posestream.demo.EmbeddedStack;
import io.posestream.faults.PosestreamLauncher;
import io.posestream.faults.ServiceProcess;
import io.posestream.ingest.IngestService;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
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
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code posestream connect} workers (child JVMs, the plugin loaded from plugin.path as any worker loads
 * it) on the embedded broker, with exactly-once source support, and the GStreamer sample camera serving four paths
 * behind a login. Validation names bad fields; a wrong password fails that camera only, masked; four cameras flow,
 * byte-compatible with the ingest process; a worker killed with SIGKILL hands its cameras to the other, each
 * camera's seq continuing with no frame duplicated or lost for read_committed consumers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectClusterTest {
    private static final String CONNECTOR_CLASS = "io.posestream.connect.RtspSourceConnector";
    private static final String PASSWORD = "Cam3ra-pass";
    private static final String WRONG = "Wr0ng-pass";
    private static final Duration START = Duration.ofSeconds(120);
    private static final PosestreamLauncher LAUNCHER =
            PosestreamLauncher.ofClassPath(System.getProperty("java.class.path"));
    /** Worker liveness settings of this test: a dead worker is noticed after 6 s, its tasks move 3 s later. */
    private static final int SESSION_TIMEOUT_MS = 6000;

    private static final int REBALANCE_DELAY_MS = 3000;
    private static final Pattern METRICS_PORT = Pattern.compile("connect: metrics at http://[^:]+:(\\d+)/metrics");

    @TempDir
    static Path temp;

    private EmbeddedStack stack;
    private SampleRtspCamera camera;
    private Path secrets;
    private final List<ServiceProcess> workers = new ArrayList<>();
    private final Map<ServiceProcess, URI> rest = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        stack = EmbeddedStack.start(4, 0);
        camera = new SampleRtspCamera(SampleRtspCamera.DEFAULT_VIDEO, "127.0.0.1", 0, "cam1", 4)
                .credentials("viewer", PASSWORD)
                .start();
        secrets = temp.resolve("cameras.properties");
        Files.writeString(secrets, "password=" + PASSWORD + "\n");
        for (String name : List.of("a", "b")) {
            workers.add(new ServiceProcess(
                            "worker " + name,
                            LAUNCHER.command(
                                    List.of("-Xmx512m"),
                                    List.of(
                                            "connect",
                                            "--bootstrap-servers",
                                            stack.bootstrapServers(),
                                            "--schema-registry-url",
                                            stack.registryUrl(),
                                            "--rest-address",
                                            "127.0.0.1",
                                            "--rest-port",
                                            "0",
                                            "--metrics-address",
                                            "127.0.0.1",
                                            "--metrics-port",
                                            "0",
                                            "--rebalance-delay-ms",
                                            Integer.toString(REBALANCE_DELAY_MS),
                                            "--worker",
                                            "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                                            "--worker",
                                            "heartbeat.interval.ms=1000")),
                            Map.of("CAMERA_PASSWORD", PASSWORD, "WRONG_PASSWORD", WRONG),
                            temp.resolve("worker-" + name + ".log"),
                            -1)
                    .start());
        }
        for (ServiceProcess worker : workers) {
            rest.put(worker, URI.create(worker.awaitOutput(ConnectorRest.PRINTED_URL, START)));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (ServiceProcess worker : workers) {
            worker.close();
        }
        if (camera != null) {
            camera.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private ConnectorRest rest(ServiceProcess worker) {
        return new ConnectorRest(rest.get(worker));
    }

    private ConnectorRest anyLiveRest() {
        return rest(workers.stream().filter(ServiceProcess::alive).findFirst().orElseThrow());
    }

    /** A connector config for cameras on the sample camera's paths, each with the login from a config provider. */
    private Map<String, String> connector(String topic, Map<String, String> cameras) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", Integer.toString(cameras.size()));
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("exactly.once.support", "required");
        config.put("schema.registry.url", stack.registryUrl());
        config.put("topic", topic);
        config.put("cameras", String.join(",", cameras.keySet()));
        config.put("timeout.ms", "3000");
        config.put("reconnect.initial.ms", "200");
        cameras.forEach((id, path) -> {
            config.put("camera." + id + ".url", camera.url(path));
            config.put("camera." + id + ".username", "viewer");
        });
        return config;
    }

    @Test
    @Order(1)
    void aBadCameraConfigIsRefusedByValidationNamingTheField() throws Exception {
        Map<String, String> config = connector(Topics.FRAMES, Map.of("cam1", "cam1", "cam2", "cam2"));
        config.put("name", "refused");
        config.put("camera.cam1.password", "${env:CAMERA_PASSWORD}");
        config.put("camera.cam2.password", "${env:CAMERA_PASSWORD}");
        config.put("camera.cam2.fps", "0");
        config.put("camera.cam1.url", "foo://127.0.0.1/cam1");
        ConnectorRest api = rest(workers.get(0));

        ConnectorRest.Answer validation = api.validate(CONNECTOR_CLASS, config);
        assertThat(validation.status()).isEqualTo(200);
        Map<String, List<String>> errors = errors(validation.body());
        assertThat(errors).containsOnlyKeys("camera.cam1.url", "camera.cam2.fps");
        assertThat(errors.get("camera.cam2.fps").get(0)).contains("fps must be > 0 and <= 240, got 0.0");
        assertThat(errors.get("camera.cam1.url").get(0)).contains("unsupported URL scheme 'foo'");
        assertThat(validation.body().toString()).doesNotContain(PASSWORD);

        ConnectorRest.Answer created = api.put("refused", config);
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.body().path("message").asText())
                .contains("camera.cam2.fps", "camera.cam1.url: unsupported URL scheme 'foo'");
        assertThat(api.status("refused").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aWrongPasswordFailsThatCameraOnlyMaskedInTheStatusAndLogs() throws Exception {
        String topic = "login-frames";
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(admin, List.of(Topics.dataTopic(topic, 1, (short) 1)));
        }
        Map<String, String> config = connector(topic, Map.of("good", "cam1", "bad", "cam2"));
        config.put("camera.good.password", "${file:" + secrets + ":password}");
        config.put("camera.bad.password", "${env:WRONG_PASSWORD}");
        ConnectorRest api = rest(workers.get(1));
        assertThat(api.put("login", config).ok()).isTrue();
        try (FrameReader frames = new FrameReader(stack, topic, 1)) {
            await(
                    "frames of the good camera",
                    START,
                    () -> frames.poll().of("good").size() >= 5);
            JsonNode status = awaitStatus(api, "login", s -> taskStates(s).containsValue("FAILED"));
            assertThat(taskStates(status)).containsValues("RUNNING", "FAILED");
            String trace = failedTraces(status);
            assertThat(trace)
                    .contains("camera bad: credentials refused by rtsp://viewer:***@127.0.0.1:" + camera.port()
                            + "/cam2: check username and password")
                    .contains("401 Unauthorized")
                    .doesNotContain(WRONG)
                    .doesNotContain(PASSWORD);
            assertThat(frames.poll().byCamera.keySet()).containsOnly("good");
            // The stored config keeps the placeholders: the passwords exist only inside the running tasks.
            assertThat(api.configOrNull("login"))
                    .containsEntry("camera.bad.password", "${env:WRONG_PASSWORD}")
                    .containsEntry("camera.good.password", "${file:" + secrets + ":password}");
        } finally {
            api.delete("login");
        }
        assertNoPasswordInLogs();
    }

    @Test
    @Order(3)
    void fourCamerasFlowOnTwoWorkersAndAKilledWorkersCamerasResumeOnTheOtherWithSeqContinuing() throws Exception {
        Map<String, Integer> refId = ingestReferenceFrames();

        Map<String, String> cams = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) {
            cams.put("cam" + i, "cam" + i);
        }
        Map<String, String> config = connector(Topics.FRAMES, cams);
        config.put("camera.cam1.password", "${file:" + secrets + ":password}");
        config.put("camera.cam2.password", "${file:" + secrets + ":password}");
        config.put("camera.cam3.password", "${env:CAMERA_PASSWORD}");
        config.put("camera.cam4.password", "${env:CAMERA_PASSWORD}");
        assertThat(rest(workers.get(0)).put("cameras", config).ok()).isTrue();

        try (FrameReader frames = new FrameReader(stack, Topics.FRAMES, 4)) {
            await(
                    "10 frames from each of the 4 cameras",
                    START,
                    () -> cams.keySet().stream()
                            .allMatch(id -> frames.poll().of(id).size() >= 10));
            JsonNode status = awaitStatus(
                    anyLiveRest(),
                    "cameras",
                    s -> taskStates(s).size() == 4
                            && Set.copyOf(taskStates(s).values()).equals(Set.of("RUNNING")));
            Map<Integer, String> placement = taskWorkers(status);
            assertThat(Set.copyOf(placement.values()))
                    .as("tasks on both workers")
                    .hasSize(2);

            // Byte for byte what the ingest process writes: same schema id, same encoding, string key.
            for (ConsumerRecord<byte[], byte[]> record : frames.all()) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                if (!cams.containsKey(key)) {
                    continue;
                }
                assertThat(record.value()[0]).isZero();
                assertThat(ByteBuffer.wrap(record.value(), 1, 4).getInt())
                        .as("schema id of %s", key)
                        .isEqualTo(refId.get("id"));
                Frame frame = frames.serde.deserializer().deserialize(Topics.FRAMES, record.value());
                assertThat(frame.getCameraId()).isEqualTo(key);
                assertThat(frame.getWidth()).isEqualTo(768);
                assertThat(frames.serde.serializer().serialize(Topics.FRAMES, frame))
                        .as("frame %s/%d re-serialized as ingest does", key, frame.getSeq())
                        .isEqualTo(record.value());
            }

            // SIGKILL the first worker: its cameras must resume on the other, seq continuing.
            ServiceProcess victim = workers.get(0);
            ServiceProcess survivor = workers.get(1);
            String victimId =
                    rest.get(victim).getHost() + ":" + rest.get(victim).getPort();
            List<String> moved = new ArrayList<>();
            placement.forEach((task, worker) -> {
                if (worker.equals(victimId)) {
                    moved.add("cam" + (task + 1)); // one camera per task, dealt in order
                }
            });
            assertThat(moved).isNotEmpty();
            frames.poll();
            Map<String, Integer> before = new HashMap<>();
            cams.keySet().forEach(id -> before.put(id, frames.of(id).size()));
            long killedAt = System.currentTimeMillis();
            victim.kill();
            // A frame sent after the kill (its producer's timestamp) can only come from the camera's new task.
            Map<String, Long> resumedMs = new HashMap<>();
            await(
                    "the killed worker's cameras " + moved + " to resume on the other worker",
                    Duration.ofMillis(SESSION_TIMEOUT_MS + REBALANCE_DELAY_MS).plus(Duration.ofSeconds(60)),
                    () -> {
                        frames.poll();
                        for (String id : moved) {
                            frames.of(id).stream()
                                    .filter(r -> r.timestamp() > killedAt)
                                    .findFirst()
                                    .ifPresent(r -> resumedMs.putIfAbsent(id, r.timestamp() - killedAt));
                        }
                        return resumedMs.size() == moved.size()
                                && cams.keySet().stream()
                                        .allMatch(id -> frames.of(id).stream()
                                                        .filter(r -> r.timestamp() > killedAt)
                                                        .count()
                                                >= 5);
                    });
            System.out.println("Failover from SIGKILL to frames of " + moved + " again (ms, this machine, not a "
                    + "benchmark): " + resumedMs);
            JsonNode after = awaitStatus(
                    rest(survivor),
                    "cameras",
                    s -> Set.copyOf(taskWorkers(s).values()).size() == 1
                            && Set.copyOf(taskStates(s).values()).equals(Set.of("RUNNING")));
            assertThat(Set.copyOf(taskWorkers(after).values()))
                    .containsExactly(rest.get(survivor).getHost() + ":"
                            + rest.get(survivor).getPort());

            // read_committed: every camera's seq runs 0, 1, 2, ... with no frame twice and none missing, across
            // the move: frames the dead worker had not committed were aborted, their seqs given again.
            for (String id : cams.keySet()) {
                List<Long> seqs = frames.of(id).stream()
                        .map(r -> frames.serde
                                .deserializer()
                                .deserialize(Topics.FRAMES, r.value())
                                .getSeq())
                        .toList();
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).as("seq #%d of %s", i, id).isEqualTo(i);
                }
            }
            // The survivor's endpoint shows every camera under ingest's meter names, with connector and task.
            String scrape = scrape(survivor);
            for (int task = 0; task < 4; task++) {
                assertThat(scrape)
                        .containsPattern("posestream_ingest_frames_published_total\\{camera=\"cam" + (task + 1)
                                + "\",connector=\"cameras\",task=\"" + task + "\"} [1-9]")
                        .contains("posestream_ingest_camera_state{camera=\"cam" + (task + 1)
                                + "\",connector=\"cameras\",state=\"streaming\",task=\"" + task + "\"} 1.0");
            }
            assertThat(scrape).contains("kafka_connect_worker_connector_count 1.0");
        }
        assertNoPasswordInLogs();
    }

    /** A few frames from the ingest process into the same topic; returns the schema id it wrote them with. */
    private Map<String, Integer> ingestReferenceFrames() throws Exception {
        CameraConfig reference = CameraConfig.builder("ingest-ref", camera.url("cam1"))
                .username("viewer")
                .passwordEnv("CAMERA_PASSWORD")
                .build();
        try (FrameReader frames = new FrameReader(stack, Topics.FRAMES, 4);
                IngestService ingest = new IngestService(
                                List.of(reference),
                                stack.clientConfig(),
                                Topics.FRAMES,
                                new SimpleMeterRegistry(),
                                Map.of("CAMERA_PASSWORD", PASSWORD))
                        .start()) {
            await(
                    "frames of the ingest process",
                    START,
                    () -> frames.poll().of("ingest-ref").size() >= 2);
            byte[] value = frames.of("ingest-ref").get(0).value();
            return Map.of("id", ByteBuffer.wrap(value, 1, 4).getInt());
        }
    }

    private void assertNoPasswordInLogs() {
        for (ServiceProcess worker : workers) {
            assertThat(worker.console())
                    .as("log of %s", worker.name())
                    .doesNotContain(PASSWORD)
                    .doesNotContain(WRONG)
                    .contains("viewer:***@127.0.0.1");
        }
    }

    private String scrape(ServiceProcess worker) throws Exception {
        Matcher port = METRICS_PORT.matcher(worker.console());
        assertThat(port.find())
                .as("metrics port in the log of %s", worker.name())
                .isTrue();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Map<String, List<String>> errors(JsonNode validation) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (JsonNode config : validation.path("configs")) {
            JsonNode value = config.path("value");
            if (value.path("errors").size() > 0) {
                List<String> messages = new ArrayList<>();
                value.path("errors").forEach(e -> messages.add(e.asText()));
                errors.put(value.path("name").asText(), messages);
            }
        }
        return errors;
    }

    private static Map<Integer, String> taskStates(JsonNode status) {
        Map<Integer, String> states = new LinkedHashMap<>();
        status.path("tasks")
                .forEach(t -> states.put(t.path("id").asInt(), t.path("state").asText()));
        return states;
    }

    private static Map<Integer, String> taskWorkers(JsonNode status) {
        Map<Integer, String> placement = new LinkedHashMap<>();
        status.path("tasks")
                .forEach(t ->
                        placement.put(t.path("id").asInt(), t.path("worker_id").asText()));
        return placement;
    }

    private static String failedTraces(JsonNode status) {
        StringBuilder traces = new StringBuilder();
        status.path("tasks").forEach(t -> {
            if (t.path("state").asText().equals("FAILED")) {
                traces.append(t.path("trace").asText());
            }
        });
        return traces.toString();
    }

    private static JsonNode awaitStatus(ConnectorRest api, String name, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ConnectorRest.Answer answer = api.status(name);
            if (answer.ok()) {
                last = answer.body();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("status of " + name + " never got there; last: " + last);
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServiceProcess worker : workers) {
                    logs.append("\n--- ").append(worker.name()).append(":\n").append(worker.tail(5000));
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + logs);
            }
            Thread.sleep(100);
        }
    }

    /** Everything on a topic from the start, as a read_committed consumer sees it, grouped by key. */
    private static final class FrameReader implements AutoCloseable {
        final AvroSerde<Frame> serde;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        final Map<String, List<ConsumerRecord<byte[], byte[]>>> byCamera = new LinkedHashMap<>();

        FrameReader(EmbeddedStack stack, String topic, int partitions) {
            Map<String, Object> config = new HashMap<>(Topics.consumerSizing());
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            serde = AvroSerdes.specific(Frame.class, stack.clientConfig(), false);
        }

        FrameReader poll() {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                all.add(record);
                byCamera.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(record);
            }
            return this;
        }

        List<ConsumerRecord<byte[], byte[]>> of(String camera) {
            return byCamera.getOrDefault(camera, List.of());
        }

        List<ConsumerRecord<byte[], byte[]>> all() {
            return all;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
