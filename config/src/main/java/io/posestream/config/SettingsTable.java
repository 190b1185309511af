package io.posestream.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The documentation of a {@link ConfigDef} as a Markdown table (key, type, default, valid values, meaning), so the
 * settings tables in docs/ are generated from the declarations rather than written by hand. A docs page holds the
 * table between {@code <!-- settings:NAME -->} and {@code <!-- /settings:NAME -->}; a test regenerates and compares.
 */
public final class SettingsTable {
    private SettingsTable() {}

    /** The table of the keys of {@code definition} that {@code include} accepts, in declaration order. */
    public static String markdown(ConfigDef definition, Predicate<String> include) {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | valid values | meaning |\n");
        out.append("|---|---|---|---|---|\n");
        List<ConfigDef.ConfigKey> keys = definition.configKeys().values().stream()
                .filter(k -> include.test(k.name))
                .toList();
        for (ConfigDef.ConfigKey key : keys) {
            out.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(defaultText(key))
                    .append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString()))
                    .append(" | ")
                    .append(cell(key.documentation))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The opening marker of the generated table {@code name} in a docs page. */
    public static String begin(String name) {
        return "<!-- settings:" + name + " (generated from the ConfigDef; a test keeps it current) -->";
    }

    /** The closing marker of the generated table {@code name}. */
    public static String end(String name) {
        return "<!-- /settings:" + name + " -->";
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "(none)";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return "(secret)";
        }
        String text = key.type == ConfigDef.Type.LIST
                ? String.join(
                        ",",
                        ((List<?>) key.defaultValue)
                                .stream().map(String::valueOf).toList())
                : String.valueOf(key.defaultValue);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
