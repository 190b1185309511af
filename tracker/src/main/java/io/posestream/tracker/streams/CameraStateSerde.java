package io.posestream.tracker.streams;

import io.posestream.tracker.core.CameraStateCodec;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.TrackerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of a camera's tracker state for the state store and its changelog ({@link CameraStateCodec}). */
public final class CameraStateSerde implements Serde<CameraTracker> {
    private final TrackerConfig config;

    public CameraStateSerde(TrackerConfig config) {
        this.config = config;
    }

    @Override
    public Serializer<CameraTracker> serializer() {
        return (topic, state) -> state == null ? null : CameraStateCodec.encode(state);
    }

    @Override
    public Deserializer<CameraTracker> deserializer() {
        return (topic, bytes) -> bytes == null ? null : CameraStateCodec.decode(bytes, config);
    }
}
