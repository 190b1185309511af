package io.posestream.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where Kafka is and how to talk to it: {@code --bootstrap-servers}, Kafka client settings passed through
 * ({@code --kafka KEY=VALUE}, {@code kafka.KEY} in the config file, {@code POSESTREAM_KAFKA_KEY}) and the config
 * file itself. Mixed into every command that talks to a cluster, directly or through {@link ClusterOptions}.
 */
public final class KafkaOptions {
    static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    // Not picocli-required: picocli would then demand it of every subcommand too (track replay, track synth),
    // which need no cluster. clientConfig() enforces it, with picocli's own message and exit code.
    @Option(
            names = BOOTSTRAP_SERVERS,
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers, required (env POSESTREAM_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

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

    boolean hasBootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /**
     * Kafka client settings, in the one order every command uses: passthrough from the config file and environment,
     * then {@code --kafka} flags, then the bootstrap servers. Fails the way a missing required option fails in
     * picocli (usage error, exit status 2) when no bootstrap servers are given.
     */
    public Map<String, Object> clientConfig() {
        return clientConfig(mixee);
    }

    /** {@link #clientConfig()} for {@code command}, the command this option group is (maybe indirectly) part of. */
    Map<String, Object> clientConfig(CommandSpec command) {
        if (!hasBootstrapServers()) {
            throw missing(command, BOOTSTRAP_SERVERS);
        }
        return ServiceSettings.kafkaClientConfig(command, kafka, bootstrapServers);
    }

    /**
     * A {@link ParameterException} naming missing options with their labels, e.g. {@code Missing required option:
     * '--bootstrap-servers=HOST:PORT[,...]'}, or an {@link IllegalArgumentException} outside a command line.
     */
    static RuntimeException missing(CommandSpec command, String... names) {
        StringBuilder labels = new StringBuilder();
        for (String name : names) {
            OptionSpec option = command == null ? null : command.findOption(name);
            if (labels.length() > 0) {
                labels.append(", ");
            }
            labels.append("'").append(name).append("=").append(option == null ? "VALUE" : option.paramLabel());
            labels.append("'");
        }
        String message = "Missing required option" + (names.length > 1 ? "s: " : ": ") + labels;
        return command == null
                ? new IllegalArgumentException(message)
                : new ParameterException(command.commandLine(), message);
    }
}
