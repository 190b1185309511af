package io.posestream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The form of a schema that goes to the registry. Classes generated with {@code stringType=String} carry the
 * Java-only property {@code avro.java.string} on every string; registering that would give the same contract a
 * different id than a client registering the plain {@code .avsc} (Confluent's JS client, ksqlDB, ...). The
 * property changes nothing on the wire, so it is dropped before the schema is registered or looked up.
 */
final class RegistrySchemas {
    private static final String JAVA_STRING_PROP = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> PLAIN = new ConcurrentHashMap<>();

    private RegistrySchemas() {}

    static Schema plain(Schema schema) {
        return PLAIN.computeIfAbsent(schema, RegistrySchemas::withoutJavaProps);
    }

    private static Schema withoutJavaProps(Schema schema) {
        String text = schema.toString();
        if (!text.contains(JAVA_STRING_PROP)) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(text);
            strip(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            // What is left, {"type":"string"}, parses to the plain "string" of the .avsc.
            object.remove(JAVA_STRING_PROP);
            object.forEach(RegistrySchemas::strip);
        } else if (node.isArray()) {
            node.forEach(RegistrySchemas::strip);
        }
    }
}
