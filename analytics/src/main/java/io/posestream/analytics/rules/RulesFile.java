package io.posestream.analytics.rules;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rules file (YAML, or JSON, which is YAML too) and checks every rule, so a bad one stops the command at
 * start with the rule and the field named. The format:
 *
 * <pre>
 * cameras: [cam1]                 # every camera the rules are for
 * rules:
 *   - name: doorway               # unique within the camera; on every event the rule raises
 *     camera: cam1
 *     type: zone                  # zone | line | fall | hands-raised
 *     units: normalized           # pixels (source-frame pixels, the default) | normalized (0..1 of width/height)
 *     polygon: [[0.1, 0.5], [0.5, 0.5], [0.5, 0.9], [0.1, 0.9]]
 *     overcrowding: 4             # optional: more than 4 inside is overcrowded
 *     dwell-seconds: 10           # optional: a track inside 10 s raises a dwell event
 *   - {name: crossing, camera: cam1, type: line, line: [[300, 100], [300, 500]], margin: 6}
 *   - {name: falls, camera: cam1, type: fall, down-seconds: 1.0}
 *   - {name: hands, camera: cam1, type: hands-raised}
 * </pre>
 */
public final class RulesFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP_FIELDS = Set.of("cameras", "rules");
    private static final Set<String> COMMON = Set.of("name", "camera", "type");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "zone", Set.of("units", "polygon", "overcrowding", "dwell-seconds"),
            "line", Set.of("units", "line", "margin"),
            "fall",
                    Set.of(
                            "upright-max-degrees",
                            "lying-min-degrees",
                            "max-fall-seconds",
                            "min-hip-drop",
                            "down-seconds"),
            "hands-raised", Set.of());

    private final String source;

    private RulesFile(String source) {
        this.source = source;
    }

    /** Reads and checks the rules file at path. */
    public static AnalyticsRules load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new RulesException("Rules file " + path + " does not exist");
        } catch (IOException e) {
            throw new RulesException("Cannot read rules file " + path + ": " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    /** Parses and checks rules given as text; source names them in errors. */
    public static AnalyticsRules parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new RulesException("Rules file " + source + " is not valid YAML/JSON: " + e.getOriginalMessage(), e);
        }
        return new RulesFile(source).read(root);
    }

    private AnalyticsRules read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw fail("it must be a map with 'cameras' and 'rules'");
        }
        unknownFields(root, TOP_FIELDS, "the top level");
        JsonNode cameraList = root.get("cameras");
        if (cameraList == null || !cameraList.isArray() || cameraList.isEmpty()) {
            throw fail("field 'cameras' is missing or empty: list the camera ids the rules are for");
        }
        Set<String> cameras = new LinkedHashSet<>();
        for (JsonNode camera : cameraList) {
            if (!camera.isTextual() || camera.asText().isBlank()) {
                throw fail("field 'cameras': " + camera + " is not a camera id");
            }
            if (!cameras.add(camera.asText())) {
                throw fail("field 'cameras': camera '" + camera.asText() + "' is listed twice");
            }
        }
        JsonNode ruleList = root.get("rules");
        if (ruleList == null || !ruleList.isArray()) {
            throw fail("field 'rules' is missing or not a list");
        }
        Map<String, List<Rule>> byCamera = new LinkedHashMap<>();
        cameras.forEach(c -> byCamera.put(c, new ArrayList<>()));
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (int i = 0; i < ruleList.size(); i++) {
            JsonNode node = ruleList.get(i);
            String where = "rules[" + i + "]";
            if (!node.isObject()) {
                throw fail(where + " is not a map");
            }
            String name = text(node, "name", where);
            where = "rule '" + name + "' (rules[" + i + "])";
            String camera = text(node, "camera", where);
            if (!cameras.contains(camera)) {
                throw fail(where + ", field 'camera': unknown camera '" + camera + "' (cameras: " + cameras + ")");
            }
            if (!names.computeIfAbsent(camera, c -> new HashSet<>()).add(name)) {
                throw fail(where + ", field 'name': camera '" + camera + "' already has a rule of this name");
            }
            String type = text(node, "type", where);
            Set<String> fields = FIELDS.get(type);
            if (fields == null) {
                throw fail(where + ", field 'type': '" + type + "' is not one of " + FIELDS.keySet());
            }
            if ((type.equals("fall") || type.equals("hands-raised"))
                    && byCamera.get(camera).stream().anyMatch(r -> typeOf(r).equals(type))) {
                // One per camera: each watches every track of the camera, so a second would only repeat it.
                throw fail(where + ", field 'type': camera '" + camera + "' already has a " + type + " rule");
            }
            Set<String> allowed = new HashSet<>(COMMON);
            allowed.addAll(fields);
            unknownFields(node, allowed, where);
            byCamera.get(camera).add(rule(node, name, type, where));
        }
        Map<String, CameraRules> result = new LinkedHashMap<>();
        byCamera.forEach((camera, rules) -> result.put(camera, new CameraRules(camera, rules)));
        return new AnalyticsRules(result);
    }

    private Rule rule(JsonNode node, String name, String type, String where) {
        switch (type) {
            case "zone" -> {
                boolean normalized = normalized(node, where);
                Polygon polygon = new Polygon(points(node, "polygon", where, normalized));
                if (polygon.points().size() < 3) {
                    throw fail(where + ", field 'polygon': a zone needs at least 3 points");
                }
                int[] crossing = polygon.crossingEdges();
                if (crossing != null) {
                    throw fail(where + ", field 'polygon': self-intersecting polygon (edge " + crossing[0]
                            + " crosses edge " + crossing[1] + "; edge i runs from point i to the next)");
                }
                if (polygon.doubleArea() == 0) {
                    throw fail(where + ", field 'polygon': the polygon has no area");
                }
                int overcrowding = node.has("overcrowding") ? (int) number(node, "overcrowding", where, 0) : -1;
                long dwellMs =
                        node.has("dwell-seconds") ? Math.round(1000 * number(node, "dwell-seconds", where, 0.001)) : 0;
                return new ZoneRule(name, polygon, normalized, overcrowding, dwellMs);
            }
            case "line" -> {
                boolean normalized = normalized(node, where);
                Polyline line = new Polyline(points(node, "line", where, normalized));
                if (line.points().size() < 2) {
                    throw fail(where + ", field 'line': a line needs at least 2 points");
                }
                double margin = node.has("margin") ? number(node, "margin", where, 0) : LineRule.DEFAULT_MARGIN_PIXELS;
                return new LineRule(name, line, normalized, margin);
            }
            case "fall" -> {
                return new FallRule(
                        name,
                        optional(node, "upright-max-degrees", where, FallRule.UPRIGHT_MAX_DEGREES),
                        optional(node, "lying-min-degrees", where, FallRule.LYING_MIN_DEGREES),
                        Math.round(1000 * optional(node, "max-fall-seconds", where, FallRule.MAX_FALL_MS / 1000.0)),
                        optional(node, "min-hip-drop", where, FallRule.MIN_HIP_DROP),
                        Math.round(1000 * optional(node, "down-seconds", where, FallRule.DOWN_MS / 1000.0)));
            }
            default -> {
                return new HandsRaisedRule(name);
            }
        }
    }

    private static String typeOf(Rule rule) {
        if (rule instanceof FallRule) {
            return "fall";
        }
        return rule instanceof HandsRaisedRule ? "hands-raised" : "zone or line";
    }

    private boolean normalized(JsonNode node, String where) {
        JsonNode units = node.get("units");
        if (units == null || units.asText().equals("pixels")) {
            return false;
        }
        if (units.asText().equals("normalized")) {
            return true;
        }
        throw fail(where + ", field 'units': '" + units.asText() + "' is neither 'pixels' nor 'normalized'");
    }

    private List<Point> points(JsonNode node, String field, String where, boolean normalized) {
        JsonNode list = node.get(field);
        if (list == null) {
            throw fail(where + ": missing field '" + field + "'");
        }
        if (!list.isArray()) {
            throw fail(where + ", field '" + field + "': not a list of [x, y] points");
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            if (!p.isArray()
                    || p.size() != 2
                    || !p.get(0).isNumber()
                    || !p.get(1).isNumber()) {
                throw fail(where + ", field '" + field + "': point " + i + " (" + p + ") is not [x, y]");
            }
            double x = p.get(0).asDouble();
            double y = p.get(1).asDouble();
            if (normalized ? x < 0 || x > 1 || y < 0 || y > 1 : x < 0 || y < 0) {
                throw fail(where + ", field '" + field + "': point " + i + " (" + p + ") is outside the frame"
                        + (normalized ? " (normalized units are 0..1)" : ""));
            }
            points.add(new Point(x, y));
        }
        return points;
    }

    private String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw fail(where + ": missing field '" + field + "'");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw fail(where + ", field '" + field + "': " + value + " is not a non-empty text");
        }
        return value.asText();
    }

    private double number(JsonNode node, String field, String where, double min) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || value.asDouble() < min) {
            throw fail(where + ", field '" + field + "': " + value + " is not a number of at least " + min);
        }
        return value.asDouble();
    }

    private double optional(JsonNode node, String field, String where, double fallback) {
        return node.has(field) ? number(node, field, where, 0) : fallback;
    }

    private void unknownFields(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw fail(where + ": unknown field '" + field + "' (known: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private RulesException fail(String what) {
        return new RulesException("Rules file " + source + ": " + what);
    }
}
