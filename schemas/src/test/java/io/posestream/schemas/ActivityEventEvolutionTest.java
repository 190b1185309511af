package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ActivityEvent is built to evolve under the registry's BACKWARD level: a later version with a new optional field
 * and a new kind registers over it, and a reader still on this version reads the new kind as OTHER.
 */
class ActivityEventEvolutionTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** A next version: one more kind and one more optional field. */
    private static Schema nextVersion() {
        String json = ActivityEvent.getClassSchema().toString();
        String kinds = "\"HANDS_RAISED\"]";
        assertThat(json).contains(kinds);
        json = json.replace(kinds, "\"HANDS_RAISED\",\"LOITERING\"]");
        String person = "{\"name\":\"person\"";
        json = json.replace(person, "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}," + person);
        return new Schema.Parser().parse(json);
    }

    @Test
    void theRegistryTakesANewKindAndFieldUnderBackward() {
        SchemaEvolution.assertRegistersUnderBackward(
                cluster, "activity", ActivityEvent.getClassSchema(), nextVersion());
    }

    @Test
    void aReaderOfThisVersionSeesALaterKindAsOther() {
        String topic = RegistryCluster.freshTopic("activity-old-reader");
        Schema next = nextVersion();
        GenericRecord event = new org.apache.avro.generic.GenericRecordBuilder(next)
                .set("cameraId", "cam1")
                .set("seq", 7L)
                .set("time", Instant.ofEpochMilli(1_764_000_000_000L).toEpochMilli())
                .set("rule", "door")
                .set(
                        "kind",
                        new org.apache.avro.generic.GenericData.EnumSymbol(
                                next.getField("kind").schema(), "LOITERING"))
                .set("trackId", 3L)
                .set("note", "new")
                .build();
        byte[] bytes =
                AvroSerdes.generic(cluster.serdeConfig(), false).serializer().serialize(topic, event);

        ActivityEvent read = AvroSerdes.specific(ActivityEvent.class, cluster.serdeConfig(), false)
                .deserializer()
                .deserialize(topic, bytes);
        assertThat(read.getKind()).isEqualTo(ActivityKind.OTHER);
        assertThat(read.getRule()).isEqualTo("door");
        assertThat(read.getTrackId()).isEqualTo(3L);
    }

    @Test
    void zoneCountsRoundTripThroughTheRegistry() {
        String topic = RegistryCluster.freshTopic("zone-counts");
        ZoneCount count = new ZoneCount("cam1", "door", 2, true, Instant.ofEpochMilli(1_764_000_000_000L), 9L);
        var serde = AvroSerdes.specific(ZoneCount.class, cluster.serdeConfig(), false);
        assertThat(serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, count)))
                .isEqualTo(count);
    }
}
