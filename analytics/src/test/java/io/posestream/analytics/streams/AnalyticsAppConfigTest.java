package io.posestream.analytics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsAppConfigTest {
    @TempDir
    Path temp;

    private Map<String, Object> settings(Path rules) {
        return Map.of(
                AnalyticsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                AnalyticsAppConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                AnalyticsAppConfig.RULES_FILE, rules.toString());
    }

    @Test
    void aBadRuleStopsTheServiceAtStartNamingTheSettingRuleAndField() throws Exception {
        Path rules = temp.resolve("rules.yaml");
        Files.writeString(
                rules,
                "cameras: [cam1]\nrules:\n  - {name: door, camera: cam1, type: zone,"
                        + " polygon: [[0, 0], [100, 100], [100, 0], [0, 100]]}\n");
        assertThatThrownBy(() -> new AnalyticsAppConfig(settings(rules)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AnalyticsAppConfig.RULES_FILE)
                .hasMessageContaining("rule 'door'")
                .hasMessageContaining("field 'polygon'");
    }

    @Test
    void theRulesFileIsRequiredAndTyposOfOwnKeysAreRefused() throws Exception {
        assertThatThrownBy(() -> new AnalyticsAppConfig(Map.of(
                        AnalyticsAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                        AnalyticsAppConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AnalyticsAppConfig.RULES_FILE);
        Path rules = temp.resolve("rules.yaml");
        Files.writeString(rules, "cameras: [cam1]\nrules: []\n");
        Map<String, Object> typo = new java.util.HashMap<>(settings(rules));
        typo.put("analytics.output.topik", "x");
        assertThatThrownBy(() -> new AnalyticsAppConfig(typo)).hasMessageContaining("analytics.output.topik");
        AnalyticsAppConfig config = new AnalyticsAppConfig(settings(rules));
        assertThat(config.outputTopic()).isEqualTo("posestream.activity-events");
        assertThat(config.countsTopic()).isEqualTo("posestream.zone-counts");
        assertThat(config.streamsConfig())
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("num.stream.threads", 2);
        Map<String, Object> oneThread = new java.util.HashMap<>(settings(rules));
        oneThread.put("num.stream.threads", "1");
        assertThat(new AnalyticsAppConfig(oneThread).streamsConfig()).containsEntry("num.stream.threads", 1);
    }
}
