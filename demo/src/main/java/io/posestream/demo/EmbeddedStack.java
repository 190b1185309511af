package io.posestream.demo;

import io.posestream.kafka.EmbeddedKafka;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** The embedded default: a KRaft broker, posestream's topics and the schema registry, all on 127.0.0.1. */
public final class EmbeddedStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;

    private EmbeddedStack(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts everything on free ports; partitions per pipeline topic as given. */
    public static EmbeddedStack start(int partitions, int registryPort) {
        EmbeddedKafka kafka = EmbeddedKafka.startNew();
        try {
            createTopics(kafka.adminConfig(), partitions);
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(
                            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                            "127.0.0.1",
                            registryPort)
                    .start();
            return new EmbeddedStack(kafka, registry);
        } catch (IOException e) {
            kafka.close();
            throw new UncheckedIOException("Cannot start the embedded schema registry: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Creates the pipeline's and the analytics' topics with an admin client of these settings (a secured cluster's super user). */
    public static void createTopics(Map<String, Object> adminConfig, int partitions) {
        try (Admin admin = Admin.create(adminConfig)) {
            short replication = Topics.replicationFor(admin);
            List<NewTopic> topics = new ArrayList<>(Topics.pipelineTopics(partitions, replication));
            topics.addAll(Topics.analyticsTopics(partitions, replication));
            Topics.ensure(admin, topics);
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** Client settings for serdes, producers and consumers of this stack. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl());
        return config;
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
