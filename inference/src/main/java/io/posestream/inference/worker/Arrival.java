package io.posestream.inference.worker;

import io.posestream.avro.Frame;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record the worker has read and not yet answered: the raw record (kept for the dead-letter topic), the frame
 * read from it, or why it could not be read.
 *
 * @param record     the raw input record
 * @param arrivedAt  wall-clock millis when poll returned it
 * @param frame      the Avro frame, or null when the record is not one
 * @param unreadable why the record is not a frame; null when {@code frame} is set
 */
record Arrival(ConsumerRecord<byte[], byte[]> record, long arrivedAt, Frame frame, String unreadable) {
    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** Milliseconds since capture at {@code now}; 0 for a record that is not a frame. */
    long ageMs(long now) {
        return frame == null ? 0 : now - frame.getCaptureTime().toEpochMilli();
    }
}
