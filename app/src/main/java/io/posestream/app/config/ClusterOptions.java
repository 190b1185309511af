package io.posestream.app.config;

import io.posestream.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The settings every service shares: where Kafka and the schema registry are, Kafka client settings passed
 * through, and the config file. Mixed into each service command, so they are named and read the same way
 * everywhere (see {@link ServiceSettings} for flags, environment and file).
 */
public final class ClusterOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env POSESTREAM_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", required = true, paramLabel = "URL",
            description = "Schema registry URL: posestream's or Confluent's (env POSESTREAM_SCHEMA_REGISTRY_URL).")
    String schemaRegistryUrl;

    @Option(names = "--schema-registry-user-info", paramLabel = "USER:PASSWORD",
            description = "HTTP basic auth for the registry (env POSESTREAM_SCHEMA_REGISTRY_USER_INFO); "
                    + "never logged.")
    String schemaRegistryUserInfo;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "A Kafka client setting, e.g. security.protocol=SASL_SSL; repeatable. Also kafka.KEY in "
                    + "the config file or POSESTREAM_KAFKA_KEY (dots as underscores) in the environment.")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of settings: option names as keys, kafka.KEY for client settings "
                    + "(env POSESTREAM_CONFIG). Flags win over the environment, which wins over the file.")
    Path config;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /**
     * Client settings for producers, consumers, admin clients, Streams and serdes: passthrough from file and
     * environment, then {@code --kafka} flags, then bootstrap servers and the registry.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        if (command != null && command.root().defaultValueProvider() instanceof ServiceSettings settings) {
            config.putAll(settings.kafkaPassthrough());
        }
        config.putAll(kafka);
        config.put("bootstrap.servers", bootstrapServers);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (schemaRegistryUserInfo != null && !schemaRegistryUserInfo.isBlank()) {
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, schemaRegistryUserInfo);
        }
        return config;
    }
}
