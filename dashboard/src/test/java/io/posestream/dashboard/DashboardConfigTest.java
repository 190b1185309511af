package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {
    private static final Map<String, String> REQUIRED =
            Map.of("bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081");

    @Test
    void defaultsBindToLocalhostOnPort8080() {
        DashboardConfig config = new DashboardConfig(REQUIRED);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.framesTopic()).isEqualTo("posestream.frames");
        assertThat(config.eventsTopic()).isEqualTo("posestream.pose-events");
    }

    @Test
    void badSettingsFailNamingTheKey() {
        assertThatThrownBy(() -> new DashboardConfig(Map.of("schema.registry.url", "http://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> new DashboardConfig(with(DashboardConfig.PORT, "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.PORT);
        assertThatThrownBy(() -> new DashboardConfig(with(DashboardConfig.KEYPOINT_SCORE_THRESHOLD, "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.KEYPOINT_SCORE_THRESHOLD);
        assertThatThrownBy(() -> new DashboardConfig(with(DashboardConfig.EVENTS_TOPIC, "posestream.frames")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.EVENTS_TOPIC);
        assertThatThrownBy(() -> new DashboardConfig(with("dashboard.stale.after", "5000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.stale.after")
                .hasMessageContaining("unknown dashboard setting");
        assertThatThrownBy(() -> new DashboardConfig(with(DashboardConfig.STALE_AFTER_MS, "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.STALE_AFTER_MS);
    }

    @Test
    void clientSettingsPassEverythingButTheDashboardsOwnKeys() {
        Map<String, Object> clients = new DashboardConfig(Map.of(
                        "bootstrap.servers",
                        "a:1,b:2",
                        "schema.registry.url",
                        "http://r",
                        "security.protocol",
                        "SASL_SSL",
                        "basic.auth.user.info",
                        "u:p",
                        DashboardConfig.PORT,
                        "0"))
                .clientSettings();
        assertThat(clients)
                .containsEntry("bootstrap.servers", "a:1,b:2")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("basic.auth.user.info", "u:p")
                .containsEntry("schema.registry.url", "http://r")
                .doesNotContainKey(DashboardConfig.PORT);
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> settings = new java.util.HashMap<>(REQUIRED);
        settings.put(key, value);
        return settings;
    }
}
