package io.posestream.cli;

import io.posestream.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The settings every pipeline service shares: Kafka ({@link KafkaOptions}) and the schema registry (URL and basic
 * auth). Mixed into each service command, so they are named and read the same way everywhere (see
 * {@link ServiceSettings} for flags, environment and file).
 */
public final class ClusterOptions {
    private static final String SCHEMA_REGISTRY_URL = "--schema-registry-url";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = SCHEMA_REGISTRY_URL,
            paramLabel = "URL",
            description = "Schema registry URL: posestream's or Confluent's, required "
                    + "(env POSESTREAM_SCHEMA_REGISTRY_URL).")
    String schemaRegistryUrl;

    @Option(
            names = "--schema-registry-user-info",
            paramLabel = "USER:PASSWORD",
            description =
                    "HTTP basic auth for the registry (env POSESTREAM_SCHEMA_REGISTRY_USER_INFO); " + "never logged.")
    String schemaRegistryUserInfo;

    @Option(
            names = "--schema-registry-truststore",
            paramLabel = "FILE",
            description = "CA certificates (PEM, or a PKCS12/JKS key store) an https:// registry is checked against, "
                    + "for a registry with a private CA (env POSESTREAM_SCHEMA_REGISTRY_TRUSTSTORE; the serde's "
                    + AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION + "); default: the JVM's trusted CAs.")
    Path schemaRegistryTruststore;

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /**
     * Checks that the cluster is named (flag, environment or config file), else fails the way a missing required
     * option fails in picocli: a {@link ParameterException} (usage error, exit status 2) naming the options, e.g.
     * {@code Missing required option: '--bootstrap-servers=HOST:PORT[,...]'}.
     */
    public void requireCluster() {
        boolean noKafka = !kafka.hasBootstrapServers();
        boolean noRegistry = schemaRegistryUrl == null || schemaRegistryUrl.isBlank();
        if (noKafka && noRegistry) {
            throw KafkaOptions.missing(command, KafkaOptions.BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL);
        } else if (noKafka) {
            throw KafkaOptions.missing(command, KafkaOptions.BOOTSTRAP_SERVERS);
        } else if (noRegistry) {
            throw KafkaOptions.missing(command, SCHEMA_REGISTRY_URL);
        }
    }

    /**
     * Client settings for producers, consumers, admin clients, Streams and serdes: Kafka's ({@link KafkaOptions}),
     * then the registry. Calls {@link #requireCluster()} first, so a service fails fast naming a missing option.
     */
    public Map<String, Object> clientConfig() {
        requireCluster();
        Map<String, Object> config = kafka.clientConfig(command);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (schemaRegistryUserInfo != null && !schemaRegistryUserInfo.isBlank()) {
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, schemaRegistryUserInfo);
        }
        if (schemaRegistryTruststore != null) {
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, schemaRegistryTruststore.toString());
        }
        return config;
    }
}
