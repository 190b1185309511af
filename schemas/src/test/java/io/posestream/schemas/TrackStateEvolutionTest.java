package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REMOVED symbol was appended to {@code TrackState} after the first release of {@code PoseEvent}: the registry
 * takes the new schema under its default BACKWARD level, and a reader still on the three-symbol enum degrades to
 * the enum's default instead of failing.
 */
class TrackStateEvolutionTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** PoseEvent as released before REMOVED: the enum with three symbols. */
    private static Schema withoutRemoved() {
        Schema current = PoseEvent.getClassSchema();
        String json = current.toString();
        String symbols = "\"symbols\":[\"TENTATIVE\",\"CONFIRMED\",\"LOST\",\"REMOVED\"]";
        assertThat(json).contains(symbols);
        return new Schema.Parser().parse(json.replace(symbols, "\"symbols\":[\"TENTATIVE\",\"CONFIRMED\",\"LOST\"]"));
    }

    @Test
    void registryAcceptsTheFourthSymbolUnderBackward() {
        SchemaEvolution.assertRegistersUnderBackward(
                cluster, "track-state", withoutRemoved(), PoseEvent.getClassSchema());
    }

    @Test
    void olderReaderSeesRemovedAsTheDefaultSymbol() {
        String topic = RegistryCluster.freshTopic("track-state-old-reader");
        PoseEvent event = SampleRecords.poseEvent(7, 2);
        event.getPersons().get(0).setState(TrackState.REMOVED);
        event.getPersons().get(1).setState(TrackState.LOST);
        byte[] bytes = AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false)
                .serializer()
                .serialize(topic, event);

        List<?> persons = (List<?>) SchemaEvolution.readBefore(cluster.serdeConfig(), topic, bytes, withoutRemoved())
                .get("persons");

        assertThat(persons)
                .extracting(p -> ((GenericRecord) p).get("state").toString())
                .containsExactly("TENTATIVE", "LOST");
    }
}
