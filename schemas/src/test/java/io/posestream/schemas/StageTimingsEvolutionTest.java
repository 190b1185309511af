package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseFrame;
import io.posestream.schemas.serde.AvroSerdes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cropMs} and {@code heatmapDecodeMs} were added to {@code StageTimings} after the first release of
 * {@code PoseFrame}, with defaults: the registry takes the new schema under BACKWARD, and a PoseFrame written with
 * the old schema reads with the new one, the new stages at 0.
 */
class StageTimingsEvolutionTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** PoseFrame as released before the two stages: StageTimings with five fields. */
    private static Schema withoutNewStages() {
        return SchemaEvolution.without(PoseFrame.getClassSchema(), "StageTimings", "cropMs", "heatmapDecodeMs");
    }

    @Test
    void registryAcceptsTheNewStagesUnderBackward() {
        SchemaEvolution.assertRegistersUnderBackward(
                cluster, "stage-timings", withoutNewStages(), PoseFrame.getClassSchema());
    }

    @Test
    void aPoseFrameWrittenBeforeReadsWithTheNewStagesAtZero() {
        String topic = RegistryCluster.freshTopic("stage-timings-old-writer");
        Schema old = withoutNewStages();
        PoseFrame current = SampleRecords.poseFrame(3, 1);
        byte[] bytes = SchemaEvolution.writtenBefore(cluster.serdeConfig(), topic, current, old);

        PoseFrame read = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .deserializer()
                .deserialize(topic, bytes);

        assertThat(read.getTimings().getDetectMs())
                .isEqualTo(current.getTimings().getDetectMs());
        assertThat(read.getTimings().getCropMs()).isZero();
        assertThat(read.getTimings().getHeatmapDecodeMs()).isZero();
        assertThat(read.getPersons()).isEqualTo(current.getPersons());
    }
}
