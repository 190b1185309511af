package io.posestream.schemas.serde;

/** Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body. */
final class WireFormat {
    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Subject under Confluent's TopicNameStrategy. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
