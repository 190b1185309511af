package io.posestream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one way every service takes its settings: command-line flags first, then environment variables, then a
 * config file, then the built-in default. A flag {@code --bootstrap-servers} is the environment variable
 * {@code POSESTREAM_BOOTSTRAP_SERVERS} and the config-file key {@code bootstrap-servers}. Kafka client settings
 * pass through as {@code kafka.<client key>} in the file or {@code POSESTREAM_KAFKA_<KEY>} in the environment
 * ({@code POSESTREAM_KAFKA_SASL_MECHANISM} is {@code sasl.mechanism}), so SASL/TLS need no code.
 *
 * <p>The file is a Java properties file named by {@code --config FILE} or {@code POSESTREAM_CONFIG}. A key in it
 * that the command does not know fails the start naming the key, so a typo never silently falls back to a default.
 */
public final class ServiceSettings implements CommandLine.IDefaultValueProvider {
    public static final String ENV_PREFIX = "POSESTREAM_";
    public static final String CONFIG_ENV = "POSESTREAM_CONFIG";
    public static final String KAFKA_PREFIX = "kafka.";

    /**
     * Kafka client settings every service starts from, below anything given. While a broker is away, each client
     * reconnects with exponential backoff (with jitter) from 250 ms up to 2 s, instead of Kafka's 50 ms up to 1 s:
     * half the connection attempts for at most a second more before a returning broker is seen.
     */
    public static final Map<String, Object> CLIENT_DEFAULTS =
            Map.of("reconnect.backoff.ms", 250, "reconnect.backoff.max.ms", 2000);

    private final Map<String, String> env;
    private final Path file;
    private final Map<String, String> fileValues;

    private ServiceSettings(Map<String, String> env, Path file, Map<String, String> fileValues) {
        this.env = env;
        this.file = file;
        this.fileValues = fileValues;
    }

    /** Settings for a run with {@code args}, reading the config file they or the environment name. */
    public static ServiceSettings forArgs(String[] args, Map<String, String> env) {
        Path file = configFile(args, env);
        return new ServiceSettings(env, file, file == null ? Map.of() : read(file));
    }

    static Path configFile(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SettingsException("Config file " + file + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingsException("Config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(key ->
                        values.put(key.trim(), properties.getProperty(key).trim()));
        return values;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        String key = option.longestName().substring(2);
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return fromEnv;
        }
        return fileValues.get(key);
    }

    /** The environment variable for a setting key: {@code bootstrap-servers} → {@code POSESTREAM_BOOTSTRAP_SERVERS}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Fails naming the key when the config file holds a key that {@code command} does not read. Called once the
     * command to run is known.
     */
    public void checkKnownKeys(CommandSpec command) {
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            if (option.longestName().startsWith("--")) {
                known.add(option.longestName().substring(2));
            }
        }
        known.remove("config");
        for (String key : fileValues.keySet()) {
            if (!known.contains(key) && !key.startsWith(KAFKA_PREFIX)) {
                throw new SettingsException("Config file " + file + ": unknown key '" + key + "' for `"
                        + command.qualifiedName() + "` (known keys: " + String.join(", ", known)
                        + ", and kafka.<client setting>)");
            }
        }
    }

    /**
     * Kafka client settings passed through from the file ({@code kafka.*}) and the environment
     * ({@code POSESTREAM_KAFKA_*}, environment first).
     */
    public Map<String, String> kafkaPassthrough() {
        Map<String, String> settings = new TreeMap<>();
        fileValues.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX)) {
                settings.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        String envPrefix = ENV_PREFIX + "KAFKA_";
        env.forEach((key, value) -> {
            if (key.startsWith(envPrefix) && key.length() > envPrefix.length()) {
                settings.put(
                        key.substring(envPrefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        value);
            }
        });
        return settings;
    }

    /**
     * The Kafka passthrough settings of the settings {@code command} runs with (its root's default-value provider),
     * or none when it runs without {@code ServiceSettings}.
     */
    public static Map<String, String> kafkaPassthrough(CommandSpec command) {
        return command != null && command.root().defaultValueProvider() instanceof ServiceSettings settings
                ? settings.kafkaPassthrough()
                : Map.of();
    }

    /**
     * Kafka client settings for {@code command}, in the one order every service uses: passthrough from the config
     * file and environment, then {@code --kafka} flags, then the bootstrap servers.
     */
    public static Map<String, Object> kafkaClientConfig(
            CommandSpec command, Map<String, String> kafkaFlags, String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(CLIENT_DEFAULTS);
        config.putAll(kafkaPassthrough(command));
        config.putAll(kafkaFlags);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /**
     * Makes {@code cli} (and its subcommands) take defaults from these settings, and check before running that the
     * config file names only keys the chosen command reads.
     */
    public void applyTo(CommandLine cli) {
        cli.setDefaultValueProvider(this);
        cli.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult leaf = parseResult;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            try {
                checkKnownKeys(leaf.commandSpec());
            } catch (SettingsException e) {
                throw new CommandLine.ParameterException(leaf.commandSpec().commandLine(), e.getMessage());
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
    }

    /** The config file in use, or null. */
    public Path file() {
        return file;
    }
}
