package io.posestream.schemas;

import io.posestream.kafka.EmbeddedKafka;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.registry.RegistryAccess;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real embedded broker plus the embedded registry on it: the one test cluster of the project. Published in the
 * schemas test-jar so every module's tests start the same real parts the same way.
 */
public final class RegistryCluster implements AutoCloseable {
    public final EmbeddedKafka kafka;
    public EmbeddedSchemaRegistry registry;

    public RegistryCluster() {
        kafka = EmbeddedKafka.startNew();
        registry = startRegistry(0);
    }

    public EmbeddedSchemaRegistry startRegistry(int port) {
        return startRegistry(port, RegistryAccess.OPEN);
    }

    /** Another registry on this broker's {@code _schemas}, with TLS and basic auth as given, on a free port. */
    public EmbeddedSchemaRegistry startRegistry(int port, RegistryAccess access) {
        try {
            return new EmbeddedSchemaRegistry(
                            Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            Topics.SCHEMAS,
                            "127.0.0.1",
                            port,
                            access)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restarts the registry on the same port, so clients keep their URL. */
    public void restartRegistry() {
        int port = registry.port();
        registry.close();
        registry = startRegistry(port);
    }

    public String registryUrl() {
        return registry.url();
    }

    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl());
        return config;
    }

    public static String freshTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void createTopic(String topic) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Topics.ensure(admin, List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)));
        }
    }

    public void produceRaw(String topic, List<byte[]> values) {
        Map<String, Object> config = new HashMap<>(Topics.producerSizing());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, "cam", value));
            }
            producer.flush();
        }
    }

    public List<byte[]> consumeRaw(String topic, int count) {
        Map<String, Object> config = new HashMap<>(Topics.consumerSizing());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<byte[]> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** Bootstrap servers of the embedded broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
