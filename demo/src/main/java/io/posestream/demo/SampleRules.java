package io.posestream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in analytics rules of the sample camera ({@code vtest.avi}, 768x576, in source-frame pixels): a line
 * across the footpath on the left, the middle of the road as a zone, falls and raised hands. Written for camera
 * {@value #CAMERA} in {@code vtest-rules.yaml}; {@link #writeFor} copies them to the demo's cameras, which all play
 * the same video.
 */
public final class SampleRules {
    /** The camera id the resource's rules are written for. */
    public static final String CAMERA = "vtest";

    private static final String RESOURCE = "vtest-rules.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SampleRules() {}

    /** The rules file's text, for camera {@value #CAMERA}. */
    public static String text() {
        try (InputStream in = SampleRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Built-in rules " + RESOURCE + " missing from the demo's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the built-in rules " + RESOURCE, e);
        }
    }

    /** Writes the sample camera's rules, once for each of {@code cameras}, as a rules file at {@code file}. */
    public static Path writeFor(List<String> cameras, Path file) throws IOException {
        Files.writeString(file, copiedFor(text(), cameras));
        return file;
    }

    /**
     * A rules file with every rule of {@code rulesText} (a rules file for one camera) once for each of
     * {@code cameras}: many cameras playing the same video get the same zones and lines.
     */
    public static String copiedFor(String rulesText, List<String> cameras) throws IOException {
        JsonNode sample = YAML.readTree(rulesText);
        ObjectNode rules = YAML.createObjectNode();
        ArrayNode ids = rules.putArray("cameras");
        ArrayNode list = rules.putArray("rules");
        for (String camera : cameras) {
            ids.add(camera);
            for (JsonNode rule : sample.path("rules")) {
                list.add(((ObjectNode) rule.deepCopy()).put("camera", camera));
            }
        }
        return YAML.writeValueAsString(rules);
    }
}
