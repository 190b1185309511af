package io.posestream.ingest.metrics;

import java.util.Locale;

/** Why a sampled frame did not reach the topic: the {@code reason} tag of {@code posestream_ingest_frames_dropped}. */
public enum DropReason {
    /** OpenCV could not JPEG-encode the decoded image. */
    ENCODE_FAILED,
    /** The Avro serializer failed, typically because the schema registry is unreachable. */
    SERIALIZE_FAILED,
    /** The encoded frame is larger than the topic's record limit. */
    TOO_LARGE,
    /** The producer's buffer was full or the topic's metadata unavailable within max.block.ms. */
    PRODUCER_FULL,
    /** The broker did not acknowledge the frame within delivery.timeout.ms, or refused it. */
    SEND_FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
