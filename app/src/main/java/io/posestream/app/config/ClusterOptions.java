package io.posestream.app.config;

import io.posestream.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The settings every service shares: where Kafka and the schema registry are, Kafka client settings passed
 * through, and the config file. Mixed into each service command, so they are named and read the same way
 * everywhere (see {@link ServiceSettings} for flags, environment and file).
 */
public final class ClusterOptions {
    private static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
    private static final String SCHEMA_REGISTRY_URL = "--schema-registry-url";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    // Not picocli-required: picocli would then demand them of every subcommand too (track replay, track synth),
    // which need no cluster. clientConfig() enforces them, with picocli's own message and exit code.
    @Option(
            names = BOOTSTRAP_SERVERS,
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers, required (env POSESTREAM_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

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
                    + AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION + ").")
    Path schemaRegistryTruststore;

    @Option(
            names = "--kafka",
            paramLabel = "KEY=VALUE",
            description = "A Kafka client setting, e.g. security.protocol=SASL_SSL; repeatable. Also kafka.KEY in "
                    + "the config file or POSESTREAM_KAFKA_KEY (dots as underscores) in the environment.")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(
            names = "--config",
            paramLabel = "FILE",
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
     * Checks that the cluster is named (flag, environment or config file), else fails the way a missing required
     * option fails in picocli: a {@link ParameterException} (usage error, exit status 2) naming the option, e.g.
     * {@code Missing required option: '--bootstrap-servers=HOST:PORT[,...]'}.
     */
    public void requireCluster() {
        List<String> missing = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            missing.add(BOOTSTRAP_SERVERS);
        }
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            missing.add(SCHEMA_REGISTRY_URL);
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        for (String name : missing) {
            OptionSpec option = command == null ? null : command.findOption(name);
            labels.add("'" + name + "=" + (option == null ? "VALUE" : option.paramLabel()) + "'");
        }
        String message = "Missing required option" + (labels.size() > 1 ? "s: " : ": ") + String.join(", ", labels);
        if (command == null) {
            throw new IllegalArgumentException(message);
        }
        throw new ParameterException(command.commandLine(), message);
    }

    /**
     * Client settings for producers, consumers, admin clients, Streams and serdes: passthrough from file and
     * environment, then {@code --kafka} flags, then bootstrap servers and the registry. Calls
     * {@link #requireCluster()} first, so a service fails fast naming a missing option.
     */
    public Map<String, Object> clientConfig() {
        requireCluster();
        Map<String, Object> config = ServiceSettings.kafkaClientConfig(command, kafka, bootstrapServers);
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
