package io.posestream.app.infer;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import io.posestream.app.HttpProbe;
import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.demo.EmbeddedStack;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code infer} as an operator starts it: models checked before anything else, then a worker on a real embedded
 * cluster whose health and metrics endpoint says when it is ready and what it did.
 */
class InferCommandTest {
    /** Shared with the demo test: prepared once per build. */
    private static final Path MODELS = Path.of("target", "demo-models").toAbsolutePath();

    private static final Path PHOTO = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");

    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void aMissingModelDirectoryIsNamedWithTheCommandThatMakesIt() {
        CliRun run = CliRun.of(
                Map.of(),
                "infer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--schema-registry-url",
                "http://127.0.0.1:1",
                "--models-dir",
                "/nonexistent/models");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("/nonexistent/models/centernet").contains("posestream model prepare");
    }

    @Test
    void aModelOfTheWrongKindIsRefused() throws Exception {
        prepare();
        CliRun run = CliRun.of(
                Map.of(),
                "infer",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--schema-registry-url",
                "http://127.0.0.1:1",
                "--models-dir",
                MODELS.toString(),
                "--pose",
                MODELS.resolve("centernet").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is a detector model, expected a pose model");
    }

    @Test
    void aWorkerServesReadinessAndMetricsAndAnswersFrames() throws Exception {
        prepare();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedStack stack = EmbeddedStack.start(2, 0)) {
            String[] args = {
                "infer",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.registryUrl(),
                "--models-dir",
                MODELS.toString(),
                "--metrics-port",
                Integer.toString(port),
                "--max-persons",
                "3",
                "--setting",
                "inference.latest.only=false"
            };
            Thread worker = new Thread(() -> CliRun.of(Map.of(), args), "infer-command");
            worker.start();
            try {
                HttpProbe.await(() -> HttpProbe.status(port, "/health/ready") == 200, "ready", WAIT);
                produce(stack, 3);
                HttpProbe.await(
                        () -> HttpProbe.body(port, "/metrics")
                                .contains("posestream_inference_frames_total{status=\"posed\"} 3.0"),
                        "3 frames posed",
                        WAIT);
                String metrics = HttpProbe.body(port, "/metrics");
                assertThat(metrics)
                        .contains(
                                "posestream_inference_stage_seconds",
                                "stage=\"pose\"",
                                "posestream_inference_batch_crops",
                                "posestream_health{check=\"consumer assigned\"");
                assertThat(HttpProbe.status(port, "/health/live")).isEqualTo(200);
            } finally {
                worker.interrupt();
                worker.join(60_000);
            }
            assertThat(worker.isAlive()).as("infer stopped").isFalse();
        }
    }

    private static void prepare() throws Exception {
        new ModelPreparer(MODELS, HumanModelsPackage.fromPath()).prepare();
    }

    private static void produce(EmbeddedStack stack, int frames) throws Exception {
        byte[] jpeg = Files.readAllBytes(PHOTO);
        var serializer =
                AvroSerdes.specific(Frame.class, stack.clientConfig(), false).serializer();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(),
                serializer)) {
            for (int seq = 0; seq < frames; seq++) {
                producer.send(new ProducerRecord<>(
                                Topics.FRAMES,
                                "cam1",
                                Frame.newBuilder()
                                        .setCameraId("cam1")
                                        .setSeq(seq)
                                        .setCaptureTime(Instant.now())
                                        .setPts(-1)
                                        .setWidth(548)
                                        .setHeight(342)
                                        .setEncoding(ImageEncoding.JPEG)
                                        .setImage(ByteBuffer.wrap(jpeg))
                                        .build()))
                        .get();
            }
        }
    }
}
