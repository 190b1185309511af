package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.avro.Frame;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.registry.RegistryAccess;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own JavaScript client ({@code @confluentinc/schemaregistry}, pinned in src/test/node/package.json)
 * against the embedded registry and the embedded broker, both directions.
 */
class ConfluentClientConformanceTest {
    private static final Path NODE_PROJECT = Path.of("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryCluster cluster;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        assertThat(NODE_PROJECT.resolve("node_modules/@confluentinc/schemaregistry"))
                .as("Confluent's JS client is installed by the README's test command "
                        + "(npm ci --prefix schemas/src/test/node)")
                .isDirectory();
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void confluentClientReadsWhatPosestreamWrote() throws Exception {
        String frameTopic = RegistryCluster.freshTopic("to-confluent-frames");
        String poseTopic = RegistryCluster.freshTopic("to-confluent-poses");
        cluster.createTopic(frameTopic);
        cluster.createTopic(poseTopic);
        List<Frame> frames = List.of(SampleRecords.frame(1, 2000), SampleRecords.frame(2, 17));
        List<PoseFrame> poses = List.of(SampleRecords.poseFrame(3, 3), SampleRecords.poseFrame(4, 0));
        AvroSerde<Frame> frameSerde = AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false);
        AvroSerde<PoseFrame> poseSerde = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false);
        cluster.produceRaw(
                frameTopic,
                frames.stream()
                        .map(f -> frameSerde.serializer().serialize(frameTopic, f))
                        .toList());
        cluster.produceRaw(
                poseTopic,
                poses.stream()
                        .map(p -> poseSerde.serializer().serialize(poseTopic, p))
                        .toList());

        List<JsonNode> frameJson =
                node("consume", cluster.kafka.bootstrapServers(), cluster.registryUrl(), frameTopic, "2");
        List<JsonNode> poseJson =
                node("consume", cluster.kafka.bootstrapServers(), cluster.registryUrl(), poseTopic, "2");

        assertThat(frameJson).hasSize(2);
        for (int i = 0; i < frames.size(); i++) {
            assertFrame(frameJson.get(i), frames.get(i));
        }
        assertThat(poseJson).hasSize(2);
        for (int i = 0; i < poses.size(); i++) {
            assertPoseFrame(poseJson.get(i), poses.get(i));
        }
    }

    @Test
    void posestreamReadsWhatTheConfluentClientWrote() throws Exception {
        String topic = RegistryCluster.freshTopic("from-confluent");
        cluster.createTopic(topic);
        List<Frame> frames = List.of(SampleRecords.frame(7, 5000), SampleRecords.frame(8, 1));
        ArrayNode records = JSON.createArrayNode();
        for (Frame frame : frames) {
            records.add(frameJson(frame));
        }
        Path schemaFile = Files.writeString(
                temp.resolve("Frame.avsc"), AvscFiles.load("Frame").toString());
        Path recordsFile = Files.writeString(temp.resolve("frames.json"), records.toString());

        JsonNode produced = node(
                        "produce",
                        cluster.kafka.bootstrapServers(),
                        cluster.registryUrl(),
                        topic,
                        schemaFile.toString(),
                        recordsFile.toString())
                .get(0);

        AvroSerde<Frame> serde = AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false);
        List<Frame> read = cluster.consumeRaw(topic, 2).stream()
                .map(bytes -> serde.deserializer().deserialize(topic, bytes))
                .toList();
        assertThat(read).containsExactlyElementsOf(frames);
        // The schema Confluent's client registered is the one posestream's serializer uses: same id, no new version.
        byte[] ours = serde.serializer().serialize(topic, frames.get(0));
        assertThat(java.nio.ByteBuffer.wrap(ours, 1, 4).getInt())
                .isEqualTo(produced.path("registeredId").asInt());
    }

    @Test
    void confluentClientWorksAgainstAnHttpsRegistryWithBasicAuth() throws Exception {
        TestTls tls = TestTls.create(temp);
        String password = "conformance-" + System.nanoTime();
        EmbeddedSchemaRegistry secured = cluster.startRegistry(
                0, new RegistryAccess(tls.serverKeystore(), tls.password(), Map.of("confluent-js", password)));
        try {
            Path schemaFile = Files.writeString(
                    temp.resolve("Frame-auth.avsc"), AvscFiles.load("Frame").toString());
            String subject = RegistryCluster.freshTopic("secured") + "-value";
            JsonNode answer = node(
                            "auth",
                            secured.url(),
                            "confluent-js:" + password,
                            tls.caPem().toString(),
                            schemaFile.toString(),
                            subject)
                    .get(0);
            assertThat(answer.path("id").asInt()).isPositive();
            assertThat(answer.path("sameSchema").asBoolean()).isTrue();
            assertThat(answer.path("subjects")).extracting(JsonNode::asText).contains(subject);
            assertThat(answer.path("wrongPassword").asInt()).isEqualTo(401);
            assertThat(answer.path("noCredentials").asInt()).isEqualTo(401);
        } finally {
            secured.close();
        }
    }

    private static void assertFrame(JsonNode json, Frame frame) {
        assertThat(json.path("cameraId").asText()).isEqualTo(frame.getCameraId());
        assertThat(json.path("seq").asLong()).isEqualTo(frame.getSeq());
        assertThat(json.path("captureTime").asLong())
                .isEqualTo(frame.getCaptureTime().toEpochMilli());
        assertThat(json.path("pts").asLong()).isEqualTo(frame.getPts());
        assertThat(json.path("width").asInt()).isEqualTo(frame.getWidth());
        assertThat(json.path("height").asInt()).isEqualTo(frame.getHeight());
        assertThat(json.path("encoding").asText()).isEqualTo(frame.getEncoding().name());
        assertThat(Base64.getDecoder().decode(json.path("image").path("base64").asText()))
                .isEqualTo(frame.getImage().array());
    }

    private static void assertPoseFrame(JsonNode json, PoseFrame pose) {
        assertThat(json.path("cameraId").asText()).isEqualTo(pose.getCameraId());
        assertThat(json.path("seq").asLong()).isEqualTo(pose.getSeq());
        assertThat(json.path("captureTime").asLong())
                .isEqualTo(pose.getCaptureTime().toEpochMilli());
        assertThat(json.path("processedTime").asLong())
                .isEqualTo(pose.getProcessedTime().toEpochMilli());
        assertThat(json.path("status").asText()).isEqualTo(pose.getStatus().name());
        assertThat(
                        json.path("statusDetail").isNull()
                                ? null
                                : json.path("statusDetail").asText())
                .isEqualTo(pose.getStatusDetail());
        assertThat(json.path("detectorModel").asText()).isEqualTo(pose.getDetectorModel());
        assertThat(json.path("poseModel").asText()).isEqualTo(pose.getPoseModel());
        assertThat((float) json.path("timings").path("detectMs").asDouble())
                .isEqualTo(pose.getTimings().getDetectMs());
        assertThat(json.path("persons")).hasSize(pose.getPersons().size());
        for (int p = 0; p < pose.getPersons().size(); p++) {
            Person person = pose.getPersons().get(p);
            JsonNode jp = json.path("persons").get(p);
            assertThat((float) jp.path("score").asDouble()).isEqualTo(person.getScore());
            assertThat((float) jp.path("box").path("x2").asDouble())
                    .isEqualTo(person.getBox().getX2());
            assertThat(jp.path("keypoints")).hasSize(17);
            for (int k = 0; k < 17; k++) {
                Keypoint kp = person.getKeypoints().get(k);
                JsonNode jk = jp.path("keypoints").get(k);
                assertThat((float) jk.path("x").asDouble()).isEqualTo(kp.getX());
                assertThat((float) jk.path("y").asDouble()).isEqualTo(kp.getY());
                assertThat((float) jk.path("score").asDouble()).isEqualTo(kp.getScore());
            }
        }
    }

    private static ObjectNode frameJson(Frame frame) {
        ObjectNode json = JSON.createObjectNode()
                .put("cameraId", frame.getCameraId())
                .put("seq", frame.getSeq())
                .put("captureTime", frame.getCaptureTime().toEpochMilli())
                .put("pts", frame.getPts())
                .put("width", frame.getWidth())
                .put("height", frame.getHeight())
                .put("encoding", frame.getEncoding().name());
        json.putObject("image")
                .put(
                        "base64",
                        Base64.getEncoder().encodeToString(frame.getImage().array()));
        return json;
    }

    /** Runs conformance.js with the machine's node; returns its stdout JSON lines. */
    private List<JsonNode> node(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "conformance.js"));
        command.addAll(List.of(args));
        File stderr = temp.resolve("node-stderr-" + System.nanoTime() + ".txt").toFile();
        Process process = new ProcessBuilder(command)
                .directory(NODE_PROJECT.toFile())
                .redirectError(stderr)
                .start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue())
                .as("node %s exit code; stderr:%n%s", args[0], Files.readString(stderr.toPath()))
                .isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
