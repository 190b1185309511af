package io.posestream.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Command-line flags for settings a service declares in its {@link ConfigDef}. A command names each flag and the
 * setting it sets; the flag's type, default, valid values and help all come from the declaration, so a default is
 * written once, in the service's config class, and the help, the docs table and the running service agree.
 *
 * <p>Flags take part in the one settings order of every command ({@link ServiceSettings}): a flag wins over the
 * environment ({@code --batch-frames} is {@code POSESTREAM_BATCH_FRAMES}), which wins over the config file
 * ({@code batch-frames}), which wins over the declared default. A value of the wrong type is refused by picocli naming
 * the flag; a value the declaration's validator refuses is refused naming the flag and the setting.
 *
 * <p>A command declares its flags in a constant and adds them to its model through a picocli model transformer:
 *
 * <pre>{@code
 * @Command(name = "infer", modelTransformer = InferCommand.Flags.class)
 * class InferCommand {
 *     static final SettingFlags FLAGS = SettingFlags.of(InferenceConfig.definition())
 *             .flag("--batch-frames", InferenceConfig.BATCH_FRAMES);
 *     public static final class Flags extends SettingFlags.Transformer {
 *         public Flags() { super(FLAGS); }
 *     }
 *     @Spec CommandSpec spec;
 *     ... FLAGS.settings(spec, cluster.clientConfig(), overrides) ...
 * }
 * }</pre>
 */
public final class SettingFlags {
    private final ConfigDef definition;
    private final Map<String, String> keyByFlag;

    private SettingFlags(ConfigDef definition, Map<String, String> keyByFlag) {
        this.definition = definition;
        this.keyByFlag = keyByFlag;
    }

    /** No flags yet, for settings of {@code definition}. */
    public static SettingFlags of(ConfigDef definition) {
        return new SettingFlags(definition, Map.of());
    }

    /** These flags plus {@code flag} (e.g. {@code --batch-frames}) setting {@code key}, which must be declared. */
    public SettingFlags flag(String flag, String key) {
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("a setting flag starts with --, got " + flag);
        }
        if (!definition.configKeys().containsKey(key)) {
            throw new IllegalArgumentException(flag + " names " + key + ", which the definition does not declare");
        }
        Map<String, String> more = new LinkedHashMap<>(keyByFlag);
        more.put(flag, key);
        return new SettingFlags(definition, more);
    }

    /** The setting each flag sets, in the order declared. */
    public Map<String, String> keyByFlag() {
        return Map.copyOf(keyByFlag);
    }

    /** Adds one option per flag to {@code spec}, typed, defaulted and described from the declaration. */
    public CommandSpec addTo(CommandSpec spec) {
        keyByFlag.forEach((flag, key) ->
                spec.addOption(option(flag, definition.configKeys().get(key))));
        return spec;
    }

    private static OptionSpec option(String flag, ConfigDef.ConfigKey key) {
        OptionSpec.Builder option = OptionSpec.builder(flag).type(javaType(key.type));
        StringBuilder help = new StringBuilder(key.documentation == null ? "" : key.documentation);
        if (key.validator != null) {
            help.append(" Valid: ").append(key.validator).append('.');
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            // A secret has no default to show, and a picocli default would stand in for the declared one.
            help.append(" (setting ").append(key.name).append("; never logged)");
        } else if (key.hasDefault() && key.defaultValue != null && !isBlank(key.defaultValue)) {
            option.defaultValue(defaultText(key));
            help.append(" (default: ${DEFAULT-VALUE}; setting ")
                    .append(key.name)
                    .append(')');
        } else {
            help.append(" (setting ").append(key.name).append(')');
        }
        if (key.type == ConfigDef.Type.BOOLEAN) {
            // --flip-test alone turns it on; --flip-test=false turns a true default off.
            option.arity("0..1").fallbackValue("true");
        } else {
            option.paramLabel(paramLabel(key.type));
        }
        return option.description(help.toString()).build();
    }

    private static String paramLabel(ConfigDef.Type type) {
        return switch (type) {
            case INT, LONG, SHORT -> "N";
            case DOUBLE -> "NUMBER";
            case LIST -> "VALUE[,...]";
            default -> "VALUE";
        };
    }

    private static boolean isBlank(Object value) {
        return value instanceof String s && s.isBlank() || value instanceof List<?> l && l.isEmpty();
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        if (key.defaultValue instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(key.defaultValue);
    }

    private static Class<?> javaType(ConfigDef.Type type) {
        return switch (type) {
            case INT -> Integer.class;
            case LONG -> Long.class;
            case SHORT -> Short.class;
            case DOUBLE -> Double.class;
            case BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }

    /**
     * The value of every flag that has one (given, from the environment or config file, or the declared default),
     * by setting key, each checked against the declaration's validator.
     *
     * @throws ParameterException naming the flag and the setting when a value is refused
     */
    public Map<String, Object> values(CommandSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        keyByFlag.forEach((flag, key) -> {
            OptionSpec option = spec.findOption(flag);
            if (option == null) {
                throw new IllegalStateException(
                        flag + " was never added to `" + spec.qualifiedName() + "` (no model transformer?)");
            }
            Object value = option.getValue();
            if (value == null) {
                return;
            }
            ConfigDef.ConfigKey declared = definition.configKeys().get(key);
            try {
                Object parsed = ConfigDef.parseType(key, value, declared.type);
                if (declared.validator != null) {
                    declared.validator.ensureValid(key, parsed);
                }
            } catch (ConfigException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '" + flag + "': " + value + " (" + e.getMessage() + ")");
            }
            values.put(key, value);
        });
        return values;
    }

    /**
     * A service's settings in the one order every command layers them: {@code base} (the cluster's client settings
     * and whatever else the command derives), then these flags ({@link #values}), then the {@code --setting}
     * overrides; each layer wins over the ones before it.
     */
    public Map<String, Object> settings(CommandSpec spec, Map<String, ?> base, SettingOverrides overrides) {
        Map<String, Object> settings = new LinkedHashMap<>(base);
        settings.putAll(values(spec));
        settings.putAll(overrides.settings());
        return settings;
    }

    /** Base of the model transformer a command names in {@code @Command(modelTransformer = ...)}. */
    public abstract static class Transformer implements CommandLine.IModelTransformer {
        private final SettingFlags flags;

        protected Transformer(SettingFlags flags) {
            this.flags = flags;
        }

        @Override
        public CommandSpec transform(CommandSpec spec) {
            return flags.addTo(spec);
        }
    }
}
