package io.posestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A service's settings: declared keys typed and validated, misspelt own keys refused, client keys passed on. */
class ServiceConfigTest {
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("demo.batch.frames", Type.INT, 8, Range.atLeast(1), Importance.HIGH, "Frames per batch.")
            .define("demo.topic", Type.STRING, "frames", Importance.LOW, "Input topic.")
            .define("bootstrap.servers", Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka cluster.");

    private static final class DemoConfig extends ServiceConfig {
        DemoConfig(Map<?, ?> originals) {
            super(DEFINITION, originals, "demo.");
        }
    }

    @Test
    void declaredKeysAreTypedAndDefaulted() {
        DemoConfig config = new DemoConfig(Map.of("bootstrap.servers", "a:1", "demo.batch.frames", "16"));

        assertThat(config.getInt("demo.batch.frames")).isEqualTo(16);
        assertThat(config.getString("demo.topic")).isEqualTo("frames");
        assertThat(config.prefix()).isEqualTo("demo.");
    }

    @Test
    void aMisspeltOwnKeyIsRefusedNamingItAndTheKnownKeys() {
        assertThatThrownBy(() -> new DemoConfig(Map.of("bootstrap.servers", "a:1", "demo.batch.frame", "16")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("demo.batch.frame")
                .hasMessageContaining("unknown demo setting; known: [demo.batch.frames, demo.topic]");
    }

    @Test
    void keysOfOtherPrefixesAreLeftToTheClients() {
        DemoConfig config = new DemoConfig(Map.of("bootstrap.servers", "a:1", "security.protocol", "SASL_SSL"));

        assertThat(config.originals()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aValueOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> new DemoConfig(Map.of("bootstrap.servers", "a:1", "demo.batch.frames", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("demo.batch.frames")
                .hasMessageContaining("at least 1");
    }

    @Test
    void theTableListsEveryChosenKeyWithTypeDefaultRangeAndMeaning() {
        String table = SettingsTable.markdown(DEFINITION, k -> k.startsWith("demo."));

        assertThat(table.lines())
                .containsExactly(
                        "| key | type | default | valid values | meaning |",
                        "|---|---|---|---|---|",
                        "| `demo.batch.frames` | int | `8` | [1,...] | Frames per batch. |",
                        "| `demo.topic` | string | `frames` |  | Input topic. |");
        assertThat(SettingsTable.markdown(DEFINITION, k -> true))
                .contains("| `bootstrap.servers` | list | (required) |");
    }
}
