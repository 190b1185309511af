package io.posestream.ingest.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the camera file: a YAML or JSON list of cameras (or an object whose {@code cameras} key holds that list).
 * JSON is read by the YAML parser too, so the extension does not matter. Every error names the file and the camera.
 */
public final class CameraConfigLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private CameraConfigLoader() {}

    public static List<CameraConfig> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CameraConfigException("camera file " + file + " does not exist");
        } catch (IOException e) {
            throw new CameraConfigException("camera file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses camera file text; {@code source} names it in errors. */
    public static List<CameraConfig> parse(String text, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CameraConfigException("camera file " + source + " is not valid YAML/JSON: "
                    + CameraUrls.mask(e.getOriginalMessage()) + location(e));
        }
        if (root != null && root.isObject() && root.has("cameras")) {
            root = root.get("cameras");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new CameraConfigException("camera file " + source + " must hold a non-empty list of cameras "
                    + "(each with at least id and url)");
        }
        List<CameraConfig> cameras = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String name = "camera #" + (i + 1)
                    + (node.hasNonNull("id") ? " ('" + node.get("id").asText() + "')" : "");
            CameraConfig camera;
            try {
                camera = MAPPER.treeToValue(node, CameraConfig.class);
            } catch (UnrecognizedPropertyException e) {
                throw new CameraConfigException("camera file " + source + ", " + name + ": unknown key '"
                        + e.getPropertyName() + "'; known keys: " + e.getKnownPropertyIds());
            } catch (JsonProcessingException e) {
                Throwable cause = e.getCause();
                if (cause instanceof CameraConfigException invalid) {
                    throw new CameraConfigException("camera file " + source + ": " + invalid.getMessage());
                }
                throw new CameraConfigException("camera file " + source + ", " + name + ": "
                        + CameraUrls.mask(e.getOriginalMessage()) + fieldPath(e));
            } catch (CameraConfigException e) {
                throw new CameraConfigException("camera file " + source + ": " + e.getMessage());
            }
            if (!ids.add(camera.id())) {
                throw new CameraConfigException(
                        "camera file " + source + ": camera id '" + camera.id() + "' appears more than once");
            }
            cameras.add(camera);
        }
        return List.copyOf(cameras);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }

    private static String fieldPath(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            return " (key '"
                    + mapping.getPath().get(mapping.getPath().size() - 1).getFieldName() + "')";
        }
        return "";
    }
}
