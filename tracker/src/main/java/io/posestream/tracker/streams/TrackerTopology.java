package io.posestream.tracker.streams;

import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.tracker.core.TrackerConfig;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The tracker's Kafka Streams topology: pose frames in, through the per-camera track store, pose events out. */
public final class TrackerTopology {
    /**
     * Persistent per-camera track state, backed by a changelog topic. Cached, so a camera's state goes to RocksDB
     * and the changelog once per commit rather than once per frame.
     */
    public static final String STORE = "camera-tracks";

    private TrackerTopology() {}

    public static Topology build(
            String inputTopic,
            String outputTopic,
            TrackerConfig config,
            int maxPersons,
            Serde<PoseFrame> poseFrames,
            Serde<PoseEvent> poseEvents) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), new CameraStateSerde(config))
                .withLoggingEnabled(Map.of())
                .withCachingEnabled());
        builder.stream(inputTopic, Consumed.with(Serdes.String(), poseFrames))
                .process(() -> new TrackProcessor(config, STORE, maxPersons), STORE)
                .to(outputTopic, Produced.with(Serdes.String(), poseEvents));
        return builder.build();
    }
}
