package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.posestream.avro.PoseEvent;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.serde.AvroDeserializer;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code TrackedPerson.detectionIndex} (which person of the PoseFrame a track matched, so a consumer finds the
 * keypoints as detected next to the smoothed ones) was added after the first release of {@code PoseEvent}, optional
 * with a null default: the registry takes the new schema under BACKWARD, events written before read with it as
 * null, and a reader still on the old schema reads new events, ignoring it.
 */
class DetectionIndexEvolutionTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** PoseEvent as released before the field. */
    private static Schema withoutDetectionIndex() {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode schema = json.readTree(PoseEvent.getClassSchema().toString());
            JsonNode person = schema.findParents("name").stream()
                    .filter(n -> "TrackedPerson".equals(n.path("name").asText()))
                    .findFirst()
                    .orElseThrow();
            ArrayNode fields = (ArrayNode) person.get("fields");
            int before = fields.size();
            fields.removeIf(f -> "detectionIndex".equals(f.path("name").asText()));
            assertThat(fields.size()).isEqualTo(before - 1);
            return new Schema.Parser().parse(json.writeValueAsString(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void registryAcceptsTheFieldUnderBackward() {
        String subject = RegistryCluster.freshTopic("detection-index") + "-value";
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(cluster.registryUrl());
        client.register(subject, withoutDetectionIndex());
        assertThat(client.isCompatible(subject, "latest", PoseEvent.getClassSchema()))
                .isTrue();
        assertThat(client.register(subject, PoseEvent.getClassSchema())).isPositive();
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void anEventWrittenBeforeReadsWithTheIndexNull() {
        String topic = RegistryCluster.freshTopic("detection-index-old-writer");
        Schema old = withoutDetectionIndex();
        PoseEvent current = SampleRecords.poseEvent(3, 2);
        GenericRecord written = (GenericRecord) GenericData.get().deepCopy(old, toGeneric(current, old));
        AvroSerializer<GenericRecord> oldWriter = new AvroSerializer<>();
        oldWriter.configure(cluster.serdeConfig(), false);
        byte[] bytes = oldWriter.serialize(topic, written);

        PoseEvent read = AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false)
                .deserializer()
                .deserialize(topic, bytes);

        assertThat(read.getPersons())
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.getDetectionIndex()).isNull());
        assertThat(read.getPersons().get(0).getKeypoints())
                .isEqualTo(current.getPersons().get(0).getKeypoints());
    }

    @Test
    void anOlderReaderReadsNewEventsWithoutTheField() {
        String topic = RegistryCluster.freshTopic("detection-index-old-reader");
        PoseEvent event = SampleRecords.poseEvent(5, 1);
        event.getPersons().get(0).setDetectionIndex(4);
        byte[] bytes = AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false)
                .serializer()
                .serialize(topic, event);

        AvroDeserializer<GenericRecord> oldReader = new AvroDeserializer<>(null, withoutDetectionIndex());
        oldReader.configure(cluster.serdeConfig(), false);
        List<?> persons = (List<?>) oldReader.deserialize(topic, bytes).get("persons");

        GenericRecord person = (GenericRecord) persons.get(0);
        assertThat(person.getSchema().getField("detectionIndex")).isNull();
        assertThat(person.get("trackId")).isEqualTo(event.getPersons().get(0).getTrackId());
    }

    /** The record re-encoded under {@code schema} (the new field dropped), as an old producer would have made it. */
    private static GenericRecord toGeneric(PoseEvent event, Schema schema) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.specific.SpecificDatumWriter<PoseEvent>(PoseEvent.getClassSchema())
                    .write(event, encoder);
            encoder.flush();
            var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
            return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(PoseEvent.getClassSchema(), schema)
                    .read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
