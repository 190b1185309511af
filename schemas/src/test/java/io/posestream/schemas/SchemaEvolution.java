package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.serde.AvroDeserializer;
import io.posestream.schemas.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Schemas as released before a field was added, and records as their old writers made them, for evolution tests. */
final class SchemaEvolution {
    private SchemaEvolution() {}

    /** {@code schema} with the named fields of the nested record {@code recordName} removed (all must exist). */
    static Schema without(Schema schema, String recordName, String... fields) {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode tree = json.readTree(schema.toString());
            JsonNode record = tree.findParents("name").stream()
                    .filter(n -> recordName.equals(n.path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no record " + recordName + " in " + schema));
            ArrayNode list = (ArrayNode) record.get("fields");
            int before = list.size();
            list.removeIf(f -> List.of(fields).contains(f.path("name").asText()));
            if (list.size() != before - fields.length) {
                throw new IllegalArgumentException("not all of " + List.of(fields) + " are fields of " + recordName);
            }
            return new Schema.Parser().parse(json.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record re-encoded under {@code schema} (fields it lacks dropped), as an old producer would have made it. */
    static <T extends SpecificRecord> GenericRecord reencode(T record, Schema schema) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(record.getSchema(), schema)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code current} as a producer still on the {@code old} schema sends it to {@code topic}: re-encoded under it and
     * serialized in Confluent's wire format, {@code old} registered as it would be.
     */
    static <T extends SpecificRecord> byte[] writtenBefore(
            Map<String, Object> serdeConfig, String topic, T current, Schema old) {
        AvroSerializer<GenericRecord> oldWriter = new AvroSerializer<>();
        oldWriter.configure(serdeConfig, false);
        return oldWriter.serialize(topic, reencode(current, old));
    }

    /** {@code bytes} from {@code topic} as a consumer still on the {@code old} schema reads them. */
    static GenericRecord readBefore(Map<String, Object> serdeConfig, String topic, byte[] bytes, Schema old) {
        AvroDeserializer<GenericRecord> oldReader = new AvroDeserializer<>(null, old);
        oldReader.configure(serdeConfig, false);
        return oldReader.deserialize(topic, bytes);
    }

    /**
     * Registers {@code old} under a fresh subject, then checks that the registry finds {@code current} compatible under
     * its default level (BACKWARD) and takes it as version 2.
     */
    static void assertRegistersUnderBackward(RegistryCluster cluster, String name, Schema old, Schema current) {
        String subject = RegistryCluster.freshTopic(name) + "-value";
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(cluster.registryUrl());
        client.register(subject, old);
        assertThat(client.isCompatible(subject, "latest", current)).isTrue();
        assertThat(client.register(subject, current)).isPositive();
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }
}
