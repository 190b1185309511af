package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseFrame;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Person.appearance} (the colour descriptor of a person's clothing, for the tracker) was added after the first
 * release of {@code PoseFrame}, optional with a null default: the registry takes the new schema under BACKWARD,
 * frames written before read with it as null (the tracker then goes by motion and pose alone), and a reader still on
 * the old schema reads new frames, ignoring it.
 */
class AppearanceEvolutionTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** PoseFrame as released before the field. */
    private static Schema withoutAppearance() {
        return SchemaEvolution.without(PoseFrame.getClassSchema(), "Person", "appearance");
    }

    private static List<Float> colours() {
        float[] d = new float[AppearanceDescriptor.LENGTH];
        d[2] = 0.75f;
        d[3] = 0.25f;
        d[AppearanceDescriptor.BINS + 13] = 1f;
        return AppearanceDescriptor.toList(d);
    }

    @Test
    void registryAcceptsTheFieldUnderBackward() {
        SchemaEvolution.assertRegistersUnderBackward(
                cluster, "appearance", withoutAppearance(), PoseFrame.getClassSchema());
    }

    @Test
    void aFrameWrittenBeforeReadsWithoutColours() {
        String topic = RegistryCluster.freshTopic("appearance-old-writer");
        PoseFrame current = SampleRecords.poseFrame(3, 2);
        byte[] bytes = SchemaEvolution.writtenBefore(cluster.serdeConfig(), topic, current, withoutAppearance());

        PoseFrame read = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .deserializer()
                .deserialize(topic, bytes);

        assertThat(read.getPersons())
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.getAppearance()).isNull());
        assertThat(read.getPersons().get(1).getKeypoints())
                .isEqualTo(current.getPersons().get(1).getKeypoints());
    }

    @Test
    void newFramesCarryTheColoursAndAnOlderReaderIgnoresThem() {
        String topic = RegistryCluster.freshTopic("appearance-old-reader");
        PoseFrame frame = SampleRecords.poseFrame(5, 1);
        frame.getPersons().get(0).setAppearance(colours());
        var serde = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false);
        byte[] bytes = serde.serializer().serialize(topic, frame);

        assertThat(serde.deserializer()
                        .deserialize(topic, bytes)
                        .getPersons()
                        .get(0)
                        .getAppearance())
                .isEqualTo(colours());
        List<?> persons = (List<?>) SchemaEvolution.readBefore(cluster.serdeConfig(), topic, bytes, withoutAppearance())
                .get("persons");
        GenericRecord person = (GenericRecord) persons.get(0);
        assertThat(person.getSchema().getField("appearance")).isNull();
        assertThat(person.get("score")).isEqualTo(frame.getPersons().get(0).getScore());
    }
}
