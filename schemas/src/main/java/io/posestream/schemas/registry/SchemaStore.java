package io.posestream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * The registry's state and rules: subjects, versions, global ids, compatibility levels. It changes only by
 * {@link #apply}ing log entries (the key/value JSON records of the {@code _schemas} topic, in Confluent's
 * layout), so replaying the topic after a restart rebuilds exactly the same state. The operations that change
 * something return the entry to append; the caller appends it to the log and then applies it.
 */
final class SchemaStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A log entry: Confluent-style key and value JSON (value null = permanent delete). */
    record Entry(String key, String value) {}

    record Version(String subject, int version, int id, String schema, boolean deleted) {}

    /** Outcome of a registration: the id, and the entry to append when the schema is new to the subject. */
    record Registration(int id, Entry toAppend) {}

    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    // ---- reads ----

    synchronized List<String> subjects() {
        return subjects.entrySet().stream()
                .filter(e -> !live(e.getValue()).isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    synchronized List<Integer> versions(String subject) {
        return live(requireSubject(subject)).stream().map(Version::version).toList();
    }

    synchronized Version version(String subject, String versionText, boolean includeDeleted) {
        NavigableMap<Integer, Version> versions = requireSubject(subject);
        if ("latest".equals(versionText) || "-1".equals(versionText)) {
            List<Version> candidates = includeDeleted ? new ArrayList<>(versions.values()) : live(versions);
            if (candidates.isEmpty()) {
                throw versionNotFound(subject, versionText);
            }
            return candidates.get(candidates.size() - 1);
        }
        Version found = versions.get(parseVersion(versionText));
        if (found == null || (found.deleted() && !includeDeleted)) {
            throw versionNotFound(subject, versionText);
        }
        return found;
    }

    synchronized String schemaById(int id) {
        String schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    /** The live version of the subject holding this schema. */
    synchronized Version lookup(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        return live(requireSubject(subject)).stream()
                .filter(v -> v.schema().equals(canonical))
                .findFirst()
                .orElseThrow(() ->
                        new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** The subject's own level, or null when it has none. */
    synchronized CompatibilityLevel subjectLevel(String subject) {
        return subjectLevels.get(subject);
    }

    /** Incompatibilities of the schema against the given versions of the subject under its level; empty = fine. */
    synchronized List<String> incompatibilities(String subject, String schemaText, String versionText) {
        Schema candidate = parse(schemaText);
        CompatibilityLevel level = subjectLevels.getOrDefault(subject, globalLevel);
        List<Version> against;
        if (versionText == null || "latest".equals(versionText) || "-1".equals(versionText)) {
            against = checkedVersions(level, live(requireSubject(subject)));
        } else {
            against = List.of(version(subject, versionText, false));
        }
        return check(level, candidate, against);
    }

    // ---- changes: validated here, returned as log entries ----

    /** Registers (or finds) the schema under the subject. */
    synchronized Registration register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        NavigableMap<Integer, Version> versions = subjects.getOrDefault(subject, new TreeMap<>());
        for (Version v : live(versions)) {
            if (v.schema().equals(canonical)) {
                return new Registration(v.id(), null);
            }
        }
        CompatibilityLevel level = subjectLevels.getOrDefault(subject, globalLevel);
        List<String> problems = check(level, schema, checkedVersions(level, live(versions)));
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(
                    409,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\", details: " + problems);
        }
        int id = idBySchema.getOrDefault(canonical, maxId + 1);
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        return new Registration(id, schemaEntry(new Version(subject, version, id, canonical, false)));
    }

    /** Entries that soft-delete every live version of the subject (or permanently delete soft-deleted ones). */
    synchronized List<Entry> deleteSubject(String subject, boolean permanent) {
        NavigableMap<Integer, Version> versions = requireSubjectIncludingDeleted(subject);
        List<Entry> entries = new ArrayList<>();
        if (permanent) {
            if (!live(versions).isEmpty()) {
                throw new SchemaRegistryException(
                        404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
            }
            for (Version v : versions.values()) {
                entries.add(new Entry(schemaKey(subject, v.version()), null));
            }
        } else {
            for (Version v : live(versions)) {
                entries.add(schemaEntry(new Version(subject, v.version(), v.id(), v.schema(), true)));
            }
        }
        return entries;
    }

    /** The entry that sets the level of a subject, or the global one when subject is null. */
    Entry configEntry(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode()
                .put("keytype", "CONFIG")
                .put("subject", subject)
                .put("magic", 0);
        ObjectNode value = JSON.createObjectNode().put("compatibilityLevel", level.name());
        return new Entry(key.toString(), value.toString());
    }

    // ---- the one way state changes ----

    /** Applies one log entry; throws IllegalArgumentException naming what is wrong with a corrupt one. */
    synchronized void apply(String keyText, String valueText) {
        JsonNode key = readJson(keyText, "key");
        String type = key.path("keytype").asText("");
        switch (type) {
            case "SCHEMA" -> applySchema(key, valueText);
            case "CONFIG" -> applyConfig(key, valueText);
            case "NOOP", "DELETE_SUBJECT", "CLEAR_SUBJECT" -> {
                // Confluent writes these too; the per-version records carry everything this store needs.
            }
            default -> throw new IllegalArgumentException("unknown keytype '" + type + "'");
        }
    }

    private void applySchema(JsonNode key, String valueText) {
        String subject = requireText(key, "subject");
        int versionNumber = requireInt(key, "version");
        if (valueText == null) {
            NavigableMap<Integer, Version> versions = subjects.get(subject);
            if (versions != null) {
                versions.remove(versionNumber);
                if (versions.isEmpty()) {
                    subjects.remove(subject);
                }
            }
            return;
        }
        JsonNode value = readJson(valueText, "value");
        int id = requireInt(value, "id");
        String canonical;
        try {
            canonical = new Schema.Parser().parse(requireText(value, "schema")).toString();
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(
                    "unparseable schema for subject " + subject + " version " + versionNumber + ": " + e.getMessage());
        }
        Version version = new Version(
                subject, versionNumber, id, canonical, value.path("deleted").asBoolean(false));
        subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(versionNumber, version);
        schemaById.putIfAbsent(id, canonical);
        idBySchema.putIfAbsent(canonical, id);
        maxId = Math.max(maxId, id);
    }

    private void applyConfig(JsonNode key, String valueText) {
        String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
        if (valueText == null) {
            if (subject != null) {
                subjectLevels.remove(subject);
            }
            return;
        }
        CompatibilityLevel level = CompatibilityLevel.parse(
                readJson(valueText, "value").path("compatibilityLevel").asText());
        if (level == null) {
            throw new IllegalArgumentException("unknown compatibilityLevel in " + valueText);
        }
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }

    // ---- helpers ----

    /** The versions a new schema is checked against: all live ones when transitive, else the latest. */
    private static List<Version> checkedVersions(CompatibilityLevel level, List<Version> live) {
        return level.transitive() || live.isEmpty() ? live : List.of(live.get(live.size() - 1));
    }

    private static List<String> check(CompatibilityLevel level, Schema candidate, List<Version> against) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE) {
            return problems;
        }
        for (Version earlier : against) {
            Schema old = new Schema.Parser().parse(earlier.schema());
            if (level.checksBackward()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, old),
                        "BACKWARD",
                        earlier,
                        problems);
            }
            if (level.checksForward()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(old, candidate),
                        "FORWARD",
                        earlier,
                        problems);
            }
        }
        return problems;
    }

    private static void describe(
            SchemaCompatibility.SchemaPairCompatibility result,
            String direction,
            Version earlier,
            List<String> problems) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (SchemaCompatibility.Incompatibility incompatibility :
                result.getResult().getIncompatibilities()) {
            problems.add("{" + direction + " vs version " + earlier.version() + ": " + incompatibility.getType()
                    + " at '" + incompatibility.getLocation() + "': " + incompatibility.getMessage() + "}");
        }
    }

    private Entry schemaEntry(Version v) {
        ObjectNode value = JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema())
                .put("deleted", v.deleted());
        return new Entry(schemaKey(v.subject(), v.version()), value.toString());
    }

    private static String schemaKey(String subject, int version) {
        return JSON.createObjectNode()
                .put("keytype", "SCHEMA")
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1)
                .toString();
    }

    static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: empty");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private static String canonical(String schemaText) {
        return parse(schemaText).toString();
    }

    private static List<Version> live(NavigableMap<Integer, Version> versions) {
        return versions.values().stream().filter(v -> !v.deleted()).toList();
    }

    private NavigableMap<Integer, Version> requireSubject(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null || live(versions).isEmpty()) {
            throw subjectNotFound(subject);
        }
        return versions;
    }

    private NavigableMap<Integer, Version> requireSubjectIncludingDeleted(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw subjectNotFound(subject);
        }
        return versions;
    }

    private static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(
                404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    private static SchemaRegistryException versionNotFound(String subject, String version) {
        return new SchemaRegistryException(
                404,
                SchemaRegistryException.VERSION_NOT_FOUND,
                "Version " + version + " not found for subject '" + subject + "'.");
    }

    private static int parseVersion(String text) {
        try {
            int version = Integer.parseInt(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SchemaRegistryException(
                422,
                SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + text
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static JsonNode readJson(String text, String what) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String requireText(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "'");
        }
        return node.path(field).asText();
    }

    private static int requireInt(JsonNode node, String field) {
        if (!node.path(field).isInt()) {
            throw new IllegalArgumentException("missing integer field '" + field + "'");
        }
        return node.path(field).asInt();
    }
}
