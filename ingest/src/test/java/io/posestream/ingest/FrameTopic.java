package io.posestream.ingest;

import io.posestream.avro.Frame;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A fresh frame topic on the test cluster, read back through the registry serde. */
final class FrameTopic implements AutoCloseable {
    final String name;
    private final KafkaConsumer<String, Frame> consumer;
    private final List<Frame> received = new ArrayList<>();

    FrameTopic(RegistryCluster cluster, String prefix) {
        name = RegistryCluster.freshTopic(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Topics.ensure(admin, List.of(Topics.dataTopic(name, 1, (short) 1)));
        }
        Map<String, Object> config = new HashMap<>(Topics.consumerSizing());
        config.putAll(cluster.serdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false).deserializer());
        consumer.assign(List.of(new TopicPartition(name, 0)));
    }

    /** Client settings for an ingest writing to this topic's cluster. */
    static Map<String, Object> clientConfig(RegistryCluster cluster) {
        Map<String, Object> config = new HashMap<>(cluster.serdeConfig());
        config.put("bootstrap.servers", cluster.bootstrapServers());
        return config;
    }

    /** Polls until the frames received so far satisfy the condition, or the time is up; returns them all. */
    List<Frame> until(Predicate<List<Frame>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Frame> record : consumer.poll(Duration.ofMillis(200))) {
                if (!record.key().equals(record.value().getCameraId())) {
                    throw new AssertionError("key " + record.key() + " != cameraId "
                            + record.value().getCameraId());
                }
                received.add(record.value());
            }
        }
        return List.copyOf(received);
    }

    List<Frame> atLeast(int count, Duration timeout) {
        return until(frames -> frames.size() >= count, timeout);
    }

    List<Frame> of(String camera, List<Frame> frames) {
        return frames.stream().filter(f -> f.getCameraId().equals(camera)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
