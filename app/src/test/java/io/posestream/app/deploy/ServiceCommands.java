package io.posestream.app.deploy;

import io.posestream.app.PosestreamCli;
import io.posestream.cli.ServiceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings each service command really reads, from the picocli model of the real {@code posestream} command: what
 * a manifest or compose file may name as a flag, a {@code POSESTREAM_*} variable or a config-file key.
 */
final class ServiceCommands {
    static final String METRICS_PORT = "metrics-port";

    private final CommandLine root = PosestreamCli.commandLine();

    /** The command path at the start of {@code args} (tokens before the first option), e.g. [model, prepare]. */
    static List<String> commandPath(List<String> args) {
        List<String> path = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-")) {
                break;
            }
            path.add(arg);
        }
        return path;
    }

    /** The command's spec, or null when there is no such command. */
    CommandSpec find(List<String> path) {
        CommandLine current = root;
        for (String name : path) {
            current = current.getSubcommands().get(name);
            if (current == null) {
                return null;
            }
        }
        return current.getCommandSpec();
    }

    /** Setting keys (long option names without dashes) the command reads. */
    static Set<String> keys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    keys.add(name.substring(2));
                }
            }
        }
        keys.removeAll(Set.of("help", "version"));
        return keys;
    }

    /** Why {@code variable} is not a setting of {@code command}, or null when it is. */
    static String checkEnvironment(CommandSpec command, String variable) {
        if (!variable.startsWith(ServiceSettings.ENV_PREFIX)
                || variable.equals(ServiceSettings.CONFIG_ENV)
                || variable.startsWith(ServiceSettings.ENV_PREFIX + "KAFKA_")) {
            return null;
        }
        for (String key : keys(command)) {
            if (ServiceSettings.envName(key).equals(variable)) {
                return null;
            }
        }
        return "environment variable " + variable + " is not a setting of `" + command.qualifiedName() + "`";
    }

    /** Why config-file {@code key} is not a setting of {@code command}, or null when it is. */
    static String checkFileKey(CommandSpec command, String key) {
        if (key.startsWith(ServiceSettings.KAFKA_PREFIX) && key.length() > ServiceSettings.KAFKA_PREFIX.length()) {
            return null;
        }
        Set<String> keys = keys(command);
        keys.remove("config");
        return keys.contains(key)
                ? null
                : "config key '" + key + "' is not a setting of `" + command.qualifiedName() + "` (it has " + keys
                        + ")";
    }

    /** Why the options in {@code args} are not all options of {@code command}, or null. */
    static String checkFlags(CommandSpec command, List<String> args) {
        Set<String> keys = keys(command);
        for (String arg : args) {
            if (arg.startsWith("--")) {
                String key = arg.substring(2).split("=", 2)[0];
                if (!keys.contains(key)) {
                    return "flag --" + key + " is not an option of `" + command.qualifiedName() + "`";
                }
            }
        }
        return null;
    }

    /** The value a setting gets from environment variables alone ({@code env}), or its default. */
    static String envOrDefault(CommandSpec command, Map<String, String> env, String key) {
        String fromEnv = env.get(ServiceSettings.envName(key));
        if (fromEnv != null) {
            return fromEnv;
        }
        OptionSpec option = command.findOption("--" + key);
        return option == null ? null : option.defaultValue();
    }
}
