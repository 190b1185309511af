package io.posestream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The connector configurations shipped in deploy/ (the compose stack's properties file and the Kubernetes overlay's
 * KafkaConnector) pass the connector's own validation, with config provider placeholders standing in for what the
 * worker resolves.
 */
class DeployedConnectorConfigTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    private static List<String> errors(Map<String, String> config) {
        Map<String, String> resolved = new LinkedHashMap<>();
        // What the worker's config providers would hand the connector instead of ${provider:path:key}.
        config.forEach((key, value) -> resolved.put(key, value.replaceAll("\\$\\{[^}]+}", "resolved-secret")));
        List<String> errors = new java.util.ArrayList<>();
        for (ConfigValue value : RtspSourceConfig.validate(resolved)) {
            value.errorMessages().forEach(e -> errors.add(value.name() + ": " + e));
        }
        RtspSourceConfig.converterProblems(resolved).forEach((key, problem) -> errors.add(key + ": " + problem));
        return errors;
    }

    @Test
    void theComposeStacksConnectorIsValid() throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(DEPLOY.resolve("compose/rtsp-connector.properties"))) {
            properties.load(reader);
        }
        Map<String, String> config = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        assertThat(config).containsEntry("connector.class", "io.posestream.connect.RtspSourceConnector");
        // posestream connect adds the registry of its --schema-registry-url.
        config.put("schema.registry.url", "http://schema-registry:8081");
        assertThat(errors(config)).isEmpty();
    }

    @Test
    void theKubernetesKafkaConnectorIsValid() throws Exception {
        JsonNode connector = new ObjectMapper(new YAMLFactory())
                .readTree(DEPLOY.resolve("k8s/overlays/connect/rtsp-connector.yaml")
                        .toFile());
        assertThat(connector.path("spec").path("class").asText())
                .isEqualTo("io.posestream.connect.RtspSourceConnector");
        Map<String, String> config = new LinkedHashMap<>();
        connector
                .path("spec")
                .path("config")
                .properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        assertThat(errors(config)).isEmpty();
        assertThat(RtspSourceConfig.forConnector(resolvedForStart(config)).cameraIds())
                .containsExactly("entrance", "lobby");
    }

    @Test
    void aBrokenDeployedConfigWouldBeReportedOnItsKey() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("cameras", "lobby");
        config.put("camera.lobby.url", "rtsp://10.0.0.22/stream");
        config.put("camera.lobby.max.width", "5");
        config.put("schema.registry.url", "http://registry:8081");
        assertThat(errors(config))
                .anySatisfy(e -> assertThat(e).startsWith("camera.lobby.max.width: "))
                .anySatisfy(e -> assertThat(e).startsWith("value.converter: "));
    }

    private static Map<String, String> resolvedForStart(Map<String, String> config) {
        Map<String, String> resolved = new LinkedHashMap<>();
        config.forEach((key, value) -> resolved.put(key, value.replaceAll("\\$\\{[^}]+}", "resolved-secret")));
        return resolved;
    }
}
