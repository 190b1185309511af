package io.posestream.bench;

import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.demo.EmbeddedStack;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Avro serde through the embedded broker next to the broker's raw byte[] throughput with the same payloads:
 * the ratio is what the serde and the registry cost.
 */
@Command(
        name = "serde",
        mixinStandardHelpOptions = true,
        description = "Frame (100 KB image) and PoseFrame (10 persons): Avro serialize+produce and "
                + "consume+deserialize through the embedded broker vs raw byte[] produce/consume.")
final class SerdeBenchmark implements Callable<Integer> {
    @Option(
            names = "--frames",
            description = "Frame records per run (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int frames;

    @Option(
            names = "--pose-frames",
            description = "PoseFrame records per run (default: ${DEFAULT-VALUE}).",
            defaultValue = "50000")
    int poseFrames;

    @Option(
            names = "--image-bytes",
            description = "Image size of each Frame (default: ${DEFAULT-VALUE}).",
            defaultValue = "100000")
    int imageBytes;

    @Option(
            names = "--repetitions",
            description = "Runs of each path; medians are shown (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int repetitions;

    private record Result(int records, long bytes, double produceSeconds, double consumeSeconds) {
        double produceRate() {
            return records / produceSeconds;
        }

        double consumeRate() {
            return records / consumeSeconds;
        }

        double produceMBs() {
            return bytes / 1e6 / produceSeconds;
        }

        double consumeMBs() {
            return bytes / 1e6 / consumeSeconds;
        }
    }

    @Override
    public Integer call() {
        try (EmbeddedStack stack = EmbeddedStack.start(1, 0)) {
            BenchTable table = new BenchTable(
                    "payload",
                    "path",
                    "records",
                    "MB",
                    "produce rec/s",
                    "produce MB/s",
                    "consume rec/s",
                    "consume MB/s");
            BenchTable ratios = new BenchTable("payload", "produce avro/raw", "consume avro/raw");
            measure(stack, "Frame " + imageBytes / 1000 + " KB", Frame.class, frames, this::frame, table, ratios);
            measure(
                    stack,
                    "PoseFrame 10 persons",
                    PoseFrame.class,
                    poseFrames,
                    SerdeBenchmark::poseFrame,
                    table,
                    ratios);
            System.out.println("bench serde on " + MachineInfo.describe());
            System.out.println("Embedded KRaft broker in the same JVM, 1 partition, acks=all, linger 5 ms, "
                    + "uncompressed; raw = the same Avro bytes as byte[] (the broker's own limit here); median of "
                    + repetitions + " alternating runs.");
            table.print(System.out);
            System.out.println();
            ratios.print(System.out);
        }
        return 0;
    }

    private <T extends org.apache.avro.specific.SpecificRecordBase> void measure(
            EmbeddedStack stack,
            String name,
            Class<T> type,
            int count,
            LongFunction<T> make,
            BenchTable table,
            BenchTable ratios) {
        AvroSerde<T> serde = AvroSerdes.specific(type, stack.clientConfig(), false);
        List<T> records = new ArrayList<>(count);
        List<byte[]> encoded = new ArrayList<>(count);
        for (long i = 0; i < count; i++) {
            T record = make.apply(i);
            records.add(record);
            encoded.add(serde.serializer().serialize("bench-encode-" + type.getSimpleName(), record));
        }
        long bytes = encoded.stream().mapToLong(b -> b.length).sum();
        // Warm-up pass of each path so the JIT and the broker's log segments are in steady state.
        run(stack, records.subList(0, Math.min(count, count / 5 + 1)), serde.serializer(), serde.deserializer(), 0);
        run(
                stack,
                encoded.subList(0, Math.min(count, count / 5 + 1)),
                new ByteArraySerializer(),
                new ByteArrayDeserializer(),
                0);

        // Alternating repetitions, median of each figure: a 2-core machine running broker and clients is noisy.
        List<Result> raws = new ArrayList<>();
        List<Result> avros = new ArrayList<>();
        for (int rep = 0; rep < repetitions; rep++) {
            raws.add(run(stack, encoded, new ByteArraySerializer(), new ByteArrayDeserializer(), bytes));
            avros.add(run(stack, records, serde.serializer(), serde.deserializer(), bytes));
        }
        Result raw = median(raws);
        Result avro = median(avros);
        table.row(
                name,
                "raw byte[]",
                count,
                bytes / 1e6,
                raw.produceRate(),
                raw.produceMBs(),
                raw.consumeRate(),
                raw.consumeMBs());
        table.row(
                name,
                "Avro serde + registry",
                count,
                bytes / 1e6,
                avro.produceRate(),
                avro.produceMBs(),
                avro.consumeRate(),
                avro.consumeMBs());
        ratios.row(
                name,
                String.format("%.2f", avro.produceRate() / raw.produceRate()),
                String.format("%.2f", avro.consumeRate() / raw.consumeRate()));
    }

    private static Result median(List<Result> results) {
        double[] produce =
                results.stream().mapToDouble(Result::produceSeconds).sorted().toArray();
        double[] consume =
                results.stream().mapToDouble(Result::consumeSeconds).sorted().toArray();
        Result first = results.get(0);
        return new Result(first.records(), first.bytes(), produce[produce.length / 2], consume[consume.length / 2]);
    }

    /** Produces all values to a fresh topic, then consumes them all; times each side. */
    private <V> Result run(
            EmbeddedStack stack, List<V> values, Serializer<V> serializer, Deserializer<V> deserializer, long bytes) {
        String topic = "bench-serde-" + UUID.randomUUID();
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Topics.ensure(admin, List.of(Topics.dataTopic(topic, 1, (short) 1)));
        }
        Map<String, Object> producerConfig = new HashMap<>(stack.clientConfig());
        producerConfig.putAll(Topics.producerSizing());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer)) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic, "cam-0", value));
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> consumerConfig = new HashMap<>(stack.clientConfig());
        consumerConfig.putAll(Topics.consumerSizing());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        int received = 0;
        start = System.nanoTime();
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), deserializer)) {
            // Assigned, not subscribed: a group join would be timed as if it were throughput.
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (received < values.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bench serde: only " + received + " of " + values.size()
                            + " records came back from " + topic + " within 5 minutes");
                }
                ConsumerRecords<String, V> batch = consumer.poll(Duration.ofMillis(100));
                received += batch.count();
            }
        }
        double consumeSeconds = (System.nanoTime() - start) / 1e9;
        return new Result(values.size(), bytes, produceSeconds, consumeSeconds);
    }

    private Frame frame(long seq) {
        byte[] image = new byte[imageBytes];
        new Random(seq).nextBytes(image);
        return Frame.newBuilder()
                .setCameraId("cam-0")
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(seq))
                .setPts(seq)
                .setWidth(1280)
                .setHeight(720)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .build();
    }

    private static PoseFrame poseFrame(long seq) {
        Random random = new Random(seq);
        List<Person> persons = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            List<Keypoint> keypoints = new ArrayList<>(17);
            for (int k = 0; k < 17; k++) {
                keypoints.add(new Keypoint(random.nextFloat() * 1280, random.nextFloat() * 720, random.nextFloat()));
            }
            persons.add(new Person(new Box(10f, 20f, 110f, 320f), random.nextFloat(), keypoints, null));
        }
        return PoseFrame.newBuilder()
                .setCameraId("cam-0")
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(seq))
                .setProcessedTime(Instant.ofEpochMilli(seq + 40))
                .setWidth(1280)
                .setHeight(720)
                .setStatus(FrameStatus.POSED)
                .setStatusDetail(null)
                .setDetectorModel("centernet")
                .setPoseModel("movenet-thunder")
                .setTimings(new StageTimings(1f, 2f, 30f, 28f, 61f, 3f, 1f))
                .setPersons(persons)
                .build();
    }
}
