package io.posestream.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters, the same way for every stage: the input record unchanged (key, value, headers) on the stage's
 * {@code <topic>.dlq}, plus headers naming the stage, the error and where the record came from, so it can be
 * inspected and replayed.
 */
public final class DeadLetters {
    public static final String STAGE_HEADER = "posestream.error.stage";
    public static final String ERROR_CLASS_HEADER = "posestream.error.class";
    public static final String ERROR_MESSAGE_HEADER = "posestream.error.message";
    public static final String TOPIC_HEADER = "posestream.source.topic";
    public static final String PARTITION_HEADER = "posestream.source.partition";
    public static final String OFFSET_HEADER = "posestream.source.offset";

    private DeadLetters() {}

    /** The dead letter of {@code record} for {@code dlqTopic}. */
    public static ProducerRecord<byte[], byte[]> of(
            String dlqTopic,
            ConsumerRecord<byte[], byte[]> record,
            String stage,
            String errorClass,
            String errorMessage) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(STAGE_HEADER, bytes(stage));
        headers.add(ERROR_CLASS_HEADER, bytes(errorClass));
        headers.add(ERROR_MESSAGE_HEADER, bytes(String.valueOf(errorMessage)));
        headers.add(TOPIC_HEADER, bytes(record.topic()));
        headers.add(PARTITION_HEADER, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET_HEADER, bytes(Long.toString(record.offset())));
        return new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
    }

    /** The last value of header {@code name} as text, or null. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
