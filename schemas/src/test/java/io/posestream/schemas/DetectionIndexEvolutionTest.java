package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseEvent;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.avro.Schema;
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
        return SchemaEvolution.without(PoseEvent.getClassSchema(), "TrackedPerson", "detectionIndex");
    }

    @Test
    void registryAcceptsTheFieldUnderBackward() {
        SchemaEvolution.assertRegistersUnderBackward(
                cluster, "detection-index", withoutDetectionIndex(), PoseEvent.getClassSchema());
    }

    @Test
    void anEventWrittenBeforeReadsWithTheIndexNull() {
        String topic = RegistryCluster.freshTopic("detection-index-old-writer");
        Schema old = withoutDetectionIndex();
        PoseEvent current = SampleRecords.poseEvent(3, 2);
        byte[] bytes = SchemaEvolution.writtenBefore(cluster.serdeConfig(), topic, current, old);

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

        List<?> persons =
                (List<?>) SchemaEvolution.readBefore(cluster.serdeConfig(), topic, bytes, withoutDetectionIndex())
                        .get("persons");

        GenericRecord person = (GenericRecord) persons.get(0);
        assertThat(person.getSchema().getField("detectionIndex")).isNull();
        assertThat(person.get("trackId")).isEqualTo(event.getPersons().get(0).getTrackId());
    }
}
