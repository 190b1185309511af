package io.posestream.app.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import io.posestream.app.HttpProbe;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Person;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.bench.SampleVideoFrames;
import io.posestream.demo.EmbeddedStack;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What a new user gets: {@code infer} and {@code track} started with their defaults on the sample camera's footage
 * (16 s of vtest.avi, a frame every 400 ms as a camera would send them, the pretrained CenterNet and
 * MoveNet-Thunder), and the pose events hold confirmed tracks that last. With absolute score thresholds above
 * what these models give small pedestrians, nobody was ever tracked.
 */
class DefaultTrackingOnSampleVideoTest {
    /** Shared with the other model tests: prepared once per build. */
    private static final Path MODELS = Path.of("target", "demo-models").toAbsolutePath();

    private static final int FRAMES = 40;
    /** Every 4th frame of the 10 fps video: 2.5 frames a second. */
    private static final int STEP = 4;

    private static final long INTERVAL_MS = 400;

    @Test
    void confirmedTracksLastOnTheSampleCameraWithDefaultSettings() throws Exception {
        new ModelPreparer(MODELS, HumanModelsPackage.fromPath()).prepare();
        SampleVideoFrames video = SampleVideoFrames.consecutive(
                SampleRtspCamera.DEFAULT_VIDEO, FRAMES * STEP, CameraConfig.DEFAULT_JPEG_QUALITY);
        Path state = Files.createTempDirectory("tracker-state-");
        int inferPort = freePort();
        int trackPort = freePort();
        try (EmbeddedStack stack = EmbeddedStack.start(4, 0)) {
            String[] cluster = {
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()
            };
            Thread infer =
                    command("infer", cluster, "--models-dir", MODELS.toString(), "--metrics-port", "" + inferPort);
            Thread track = command("track", cluster, "--state-dir", state.toString(), "--metrics-port", "" + trackPort);
            try {
                Duration ready = Duration.ofMinutes(3);
                HttpProbe.await(() -> HttpProbe.status(inferPort, "/health/ready") == 200, "infer ready", ready);
                HttpProbe.await(() -> HttpProbe.status(trackPort, "/health/ready") == 200, "track ready", ready);
                produce(stack, video);
                List<PoseEvent> events = records(stack, Topics.POSE_EVENTS, PoseEvent.class);

                // Every frame answered, most of them posed.
                assertThat(events).extracting(PoseEvent::getSeq).containsExactlyElementsOf(seqs());
                long posed = events.stream()
                        .filter(e -> e.getFrameStatus() == FrameStatus.POSED)
                        .count();
                assertThat(posed).isGreaterThanOrEqualTo(FRAMES / 3);

                // Tracked persons, nearly all in confirmed tracks, and several followed for 8 s or more.
                long confirmed = 0;
                long tentative = 0;
                Map<Long, long[]> spans = new TreeMap<>();
                for (PoseEvent event : events) {
                    for (TrackedPerson person : event.getPersons()) {
                        if (person.getState() == TrackState.CONFIRMED) {
                            confirmed++;
                            long at = event.getCaptureTime().toEpochMilli();
                            spans.computeIfAbsent(person.getTrackId(), id -> new long[] {at, at})[1] = at;
                        } else if (person.getState() == TrackState.TENTATIVE) {
                            tentative++;
                        }
                    }
                }
                String summary = "confirmed " + confirmed + ", tentative " + tentative + ", spans "
                        + spans.entrySet().stream()
                                .map(e -> e.getKey() + ":" + (e.getValue()[1] - e.getValue()[0]) + "ms")
                                .toList();
                assertThat(confirmed).as(summary).isPositive();
                assertThat((double) confirmed / (confirmed + tentative))
                        .as(summary)
                        .isGreaterThanOrEqualTo(0.7);
                assertThat(spans.values().stream().filter(s -> s[1] - s[0] >= 8000))
                        .as(summary)
                        .hasSizeGreaterThanOrEqualTo(2);

                // The worker sent the persons' clothing colours, which the tracker used, through the registry.
                List<Person> persons = records(stack, Topics.POSES, PoseFrame.class).stream()
                        .flatMap(f -> f.getPersons().stream())
                        .toList();
                assertThat(persons).isNotEmpty();
                assertThat(persons.stream().filter(p -> p.getAppearance() != null))
                        .hasSizeGreaterThanOrEqualTo(persons.size() * 9 / 10)
                        .allSatisfy(p -> assertThat(p.getAppearance()).hasSize(AppearanceDescriptor.LENGTH));
            } finally {
                infer.interrupt();
                track.interrupt();
                infer.join(60_000);
                track.join(60_000);
                org.apache.commons.io.FileUtils.deleteQuietly(state.toFile());
            }
        }
    }

    private static List<Long> seqs() {
        List<Long> seqs = new ArrayList<>();
        for (long s = 0; s < FRAMES; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    /** One of the real commands in a thread of its own, with nothing but the cluster and a few paths given. */
    private static Thread command(String name, String[] cluster, String... more) {
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(List.of(cluster));
        args.addAll(List.of(more));
        Thread thread = new Thread(() -> CliRun.of(Map.of(), args.toArray(String[]::new)), name + "-command");
        thread.start();
        return thread;
    }

    /** The frames as a camera sends them: one every 400 ms, captured now. */
    private static void produce(EmbeddedStack stack, SampleVideoFrames video) throws Exception {
        var serializer =
                AvroSerdes.specific(Frame.class, stack.clientConfig(), false).serializer();
        Map<String, Object> config = new HashMap<>(Topics.producerSizing());
        config.put("bootstrap.servers", stack.bootstrapServers());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            long start = System.currentTimeMillis();
            for (int seq = 0; seq < FRAMES; seq++) {
                long due = start + seq * INTERVAL_MS;
                Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
                producer.send(new ProducerRecord<>(
                                Topics.FRAMES,
                                "cam1",
                                Frame.newBuilder()
                                        .setCameraId("cam1")
                                        .setSeq(seq)
                                        .setCaptureTime(Instant.now())
                                        .setPts(-1)
                                        .setWidth(video.width())
                                        .setHeight(video.height())
                                        .setEncoding(ImageEncoding.JPEG)
                                        .setImage(ByteBuffer.wrap(video.jpegs().get(seq * STEP)))
                                        .build()))
                        .get();
            }
        }
    }

    /** The records of all frames on {@code topic} (one per frame), read committed, in order. */
    private static <T extends SpecificRecordBase> List<T> records(EmbeddedStack stack, String topic, Class<T> type) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.consumerSizing());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(type, stack.clientConfig(), false).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 240_000;
            while (records.size() < FRAMES && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> records.add(r.value()));
            }
        }
        return records;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
