package io.posestream.analytics.streams;

import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics' Kafka Streams topology: pose events in, through the per-camera analytics store, activity events
 * and zone counts out to their two topics.
 */
public final class AnalyticsTopology {
    /** Per-camera analytics state, backed by a changelog topic; written once per commit ({@link CameraStateStore}). */
    public static final String STORE = "camera-analytics";

    static final String SOURCE = "pose-events";
    static final String PROCESSOR = "analytics";
    static final String EVENTS_SINK = "activity-events";
    static final String COUNTS_SINK = "zone-counts";

    private AnalyticsTopology() {}

    /**
     * The topology, its serdes made from {@code serdeConfig}: pose events are read straight into the analytics'
     * view of them ({@link PoseEventViewReader}), activity events and zone counts written with the generated classes.
     */
    public static Topology build(
            String inputTopic,
            String eventsTopic,
            String countsTopic,
            AnalyticsRules rules,
            Map<String, ?> serdeConfig) {
        Deserializer<PoseEventView> poseEvents =
                AvroSerdes.reading(PoseEvent.getClassSchema(), PoseEventViewReader::forWriter, serdeConfig, false);
        Serde<ActivityEvent> activityEvents = AvroSerdes.specific(ActivityEvent.class, serdeConfig, false);
        Serde<ZoneCount> zoneCounts = AvroSerdes.specific(ZoneCount.class, serdeConfig, false);
        return new Topology()
                .addSource(SOURCE, Serdes.String().deserializer(), poseEvents, inputTopic)
                .addProcessor(PROCESSOR, () -> new AnalyticsProcessor(rules), SOURCE)
                .addStateStore(
                        CameraStateStore.builder(Stores.keyValueStoreBuilder(
                                        Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                                .withLoggingEnabled(Map.of())
                                .withCachingEnabled()),
                        PROCESSOR)
                .addSink(EVENTS_SINK, eventsTopic, Serdes.String().serializer(), activityEvents.serializer(), PROCESSOR)
                .addSink(COUNTS_SINK, countsTopic, Serdes.String().serializer(), zoneCounts.serializer(), PROCESSOR);
    }
}
