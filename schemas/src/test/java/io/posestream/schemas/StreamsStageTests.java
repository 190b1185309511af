package io.posestream.schemas;

import io.posestream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the tests of the Streams stages (the tracker, the analytics) share: records of cameras {@code cam-N} sent to
 * partition N, a stage in a child JVM that can be killed as a crash, and waiting for a condition.
 */
public final class StreamsStageTests {
    private StreamsStageTests() {}

    /**
     * Sends {@code records}, each to the partition its camera {@code cam-N} names, keyed by the camera; with a pause
     * after each when {@code pauseMs} > 0 (a stream still being written while an instance dies).
     */
    public static <T extends SpecificRecordBase> void produceByCamera(
            RegistryCluster cluster,
            String topic,
            Class<T> type,
            List<T> records,
            Function<T, CharSequence> camera,
            long pauseMs) {
        var serde = AvroSerdes.specific(type, cluster.serdeConfig(), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        // Fresh topics: a first batch refused before the leader is ready must not be overtaken by later ones.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            for (T record : records) {
                String cameraId = camera.apply(record).toString();
                int partition = Integer.parseInt(cameraId.substring(cameraId.lastIndexOf('-') + 1));
                producer.send(new ProducerRecord<>(topic, partition, cameraId, record));
                if (pauseMs > 0) {
                    producer.flush();
                    sleep(pauseMs);
                }
            }
            producer.flush();
        }
    }

    /**
     * {@code main} (a class with a main method, on this test's class path) in a child JVM with a small heap and
     * {@code settings} as KEY=VALUE arguments, its output in {@code log}: killed with SIGKILL it is a crashed instance.
     */
    public static Process startJvm(Class<?> main, Map<String, ?> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
