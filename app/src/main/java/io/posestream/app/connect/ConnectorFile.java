package io.posestream.app.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A connector to create at start, read from a file the way Kafka's own tools take one: a properties file with
 * {@code name=...} and the connector's settings (as {@code connect-standalone} reads), or JSON, either the REST API's
 * {@code {"name": ..., "config": {...}}} or a flat object with {@code name}.
 *
 * @param name   the connector's name
 * @param config its settings, without {@code name}
 */
record ConnectorFile(String name, Map<String, String> config) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ConnectorFile read(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                JsonNode root = JSON.readTree(file.toFile());
                JsonNode config = root.has("config") ? root.get("config") : root;
                if (root.has("name")) {
                    settings.put("name", root.get("name").asText());
                }
                config.properties()
                        .forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
            } else {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
                properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Connector file " + file + " cannot be read: " + e.getMessage(), e);
        }
        String name = settings.remove("name");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Connector file " + file + " has no name (name=...)");
        }
        if (!settings.containsKey("connector.class")) {
            throw new IllegalArgumentException("Connector file " + file + " has no connector.class");
        }
        return new ConnectorFile(name, settings);
    }

    /** The config with {@code defaults} for the keys it does not set (the cluster's registry settings). */
    ConnectorFile withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(config);
        return new ConnectorFile(name, merged);
    }
}
