package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseFrame;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic from the start as a downstream read_committed consumer would, keeping every
 * record it has seen: PoseFrames of the output topic, or raw dead letters.
 */
final class ReadCommittedTopic<V> implements AutoCloseable {
    final List<ConsumerRecord<String, V>> records = new ArrayList<>();
    private final KafkaConsumer<String, V> consumer;

    private ReadCommittedTopic(KafkaConsumer<String, V> consumer, String topic, int partitions) {
        this.consumer = consumer;
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    static ReadCommittedTopic<PoseFrame> poses(
            String bootstrapServers, Map<String, Object> serdeConfig, String topic, int partitions) {
        return new ReadCommittedTopic<>(
                new KafkaConsumer<>(
                        config(bootstrapServers),
                        new StringDeserializer(),
                        AvroSerdes.specific(PoseFrame.class, serdeConfig, false).deserializer()),
                topic,
                partitions);
    }

    static ReadCommittedTopic<byte[]> raw(String bootstrapServers, String topic, int partitions) {
        return new ReadCommittedTopic<>(
                new KafkaConsumer<>(config(bootstrapServers), new StringDeserializer(), new ByteArrayDeserializer()),
                topic,
                partitions);
    }

    private static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>(Topics.consumerSizing());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    /** Polls once; the number of records seen so far. */
    int poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return records.size();
    }

    /** Polls until at least {@code count} records have been seen. */
    ReadCommittedTopic<V> awaitAtLeast(int count, Duration timeout) {
        await(
                () -> count + " records on " + consumer.assignment() + ", got " + records.size(),
                timeout,
                () -> poll() >= count);
        return this;
    }

    /** Polls a little longer so that anything extra (a duplicate) would show up too. */
    ReadCommittedTopic<V> settle() {
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < until) {
            poll();
        }
        return this;
    }

    List<V> values() {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** {@code camera/seq} of every PoseFrame, asserting none appears twice. */
    static Set<String> frameIds(List<PoseFrame> poses) {
        Set<String> ids = new HashSet<>();
        for (PoseFrame pose : poses) {
            String id = pose.getCameraId() + "/" + pose.getSeq();
            assertThat(ids.add(id)).as("PoseFrame %s answered twice", id).isTrue();
        }
        return ids;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(() -> what, timeout, condition);
    }

    static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
