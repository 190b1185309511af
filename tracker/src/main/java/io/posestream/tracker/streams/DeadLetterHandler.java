package io.posestream.tracker.streams;

import io.posestream.schemas.DeadLetters;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends input records that cannot be deserialized to the dead-letter topic, unchanged (key, value and headers),
 * with headers naming the error and where the record came from, and lets the application carry on. The records
 * go out through Streams' own producer, so with exactly-once they commit together with the input offsets. Other
 * Streams stages downstream (analytics) use it too, naming themselves with {@link #STAGE_CONFIG}. A record whose
 * schema cannot be fetched because the registry is away is not a bad record: it fails the stream thread, which is
 * replaced, so the record is read again once the registry answers.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {
    /** Setting naming the dead-letter topic (passed through the Streams configuration). */
    public static final String TOPIC_CONFIG = "posestream.dlq.topic";

    /** Setting naming the stage in the dead letters' headers; {@link #STAGE} when not given. */
    public static final String STAGE_CONFIG = "posestream.dlq.stage";

    public static final String STAGE = "tracker";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topic;
    private String stage = STAGE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(TOPIC_CONFIG);
        if (value == null || value.toString().isBlank()) {
            throw new ConfigException(TOPIC_CONFIG, value, "the dead-letter topic must be set");
        }
        topic = value.toString();
        Object stageName = configs.get(STAGE_CONFIG);
        if (stageName != null && !stageName.toString().isBlank()) {
            stage = stageName.toString();
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String message = String.valueOf(exception.getMessage());
        if (SchemaRegistryException.isUnavailable(exception)) {
            // Not a bad record: its schema cannot be fetched while the registry is away. The thread fails and is
            // replaced (TrackerApp), reading the record again; nothing goes to the dead letters.
            LOG.debug(
                    "Record at {}-{}@{} waits for the schema registry: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    message);
            return Response.fail();
        }
        LOG.warn(
                "Undecodable record at {}-{}@{} sent to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                topic,
                message);
        return Response.resume(List.of(
                DeadLetters.of(topic, record, stage, exception.getClass().getName(), message)));
    }
}
