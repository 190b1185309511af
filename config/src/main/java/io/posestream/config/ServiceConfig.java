package io.posestream.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A service's settings: Kafka's {@link AbstractConfig} over the one {@link ConfigDef} the service declares (name,
 * type, default, validator, doc), so a bad value fails at start naming the key. Keys with the service's own prefix
 * ({@code inference.}, {@code tracker.}, ...) must be declared: a misspelt one is refused naming the known keys, so
 * a typo never falls back silently to a default. Any other key is the service's Kafka clients' business and is
 * passed through for them to validate.
 */
public abstract class ServiceConfig extends AbstractConfig {
    private final String prefix;

    /**
     * @param definition the service's settings
     * @param originals  the settings given
     * @param prefix     the prefix of the service's own keys, e.g. {@code "inference."}
     */
    protected ServiceConfig(ConfigDef definition, Map<?, ?> originals, String prefix) {
        this(definition, originals, prefix, Map.of());
    }

    /**
     * @param replaced keys of earlier releases that changed meaning or name, each with the key to use now: refused
     *                 naming the replacement, so an old config file fails with the way forward
     */
    protected ServiceConfig(ConfigDef definition, Map<?, ?> originals, String prefix, Map<String, String> replaced) {
        super(definition, originals, false);
        this.prefix = prefix;
        requireKnown(originals.keySet(), definition.names(), prefix, replaced);
    }

    /** The prefix of the service's own keys. */
    public String prefix() {
        return prefix;
    }

    /**
     * Fails on the first of {@code keys} that starts with {@code prefix} and is not in {@code known}, naming the key
     * and the known keys with that prefix.
     */
    public static void requireKnown(Set<?> keys, Set<String> known, String prefix) {
        requireKnown(keys, known, prefix, Map.of());
    }

    /** {@link #requireKnown(Set, Set, String)}, naming the replacement of a key that {@code replaced} lists. */
    public static void requireKnown(Set<?> keys, Set<String> known, String prefix, Map<String, String> replaced) {
        for (Object key : new TreeSet<>(keys.stream().map(String::valueOf).toList())) {
            String name = key.toString();
            if (replaced.containsKey(name) && !known.contains(name)) {
                throw new ConfigException(
                        name, null, "replaced by " + replaced.get(name) + " (see the service's docs page)");
            }
            if (name.startsWith(prefix) && !known.contains(name)) {
                TreeSet<String> ours = new TreeSet<>();
                known.stream().filter(k -> k.startsWith(prefix)).forEach(ours::add);
                String service = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
                throw new ConfigException(name, null, "unknown " + service + " setting; known: " + ours);
            }
        }
    }
}
