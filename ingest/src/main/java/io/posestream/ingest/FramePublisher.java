package io.posestream.ingest;

import io.posestream.avro.Frame;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.ingest.metrics.DropReason;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces Avro {@link Frame} records keyed by camera id, through the registry serde, with one producer shared by
 * all cameras (it is thread-safe and batches per partition). Never blocks a camera for long: a frame that cannot be
 * handed over within {@code max.block.ms} is dropped and counted, since a live camera cannot wait.
 */
public final class FramePublisher implements FrameSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);

    private final KafkaProducer<String, Frame> producer;
    private final String topic;
    // Why the latest frame did not reach the broker (null once one did): readiness of the ingest.
    private volatile String deliveryProblem;

    /**
     * @param clientConfig bootstrap servers, {@code schema.registry.url} and any producer overrides (applied last)
     * @param topic        normally {@link Topics#FRAMES}
     */
    public FramePublisher(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> config = lowLatencySettings();
        config.putAll(clientConfig);
        this.topic = topic;
        this.producer = new KafkaProducer<>(
                config,
                new StringSerializer(),
                AvroSerdes.specific(Frame.class, clientConfig, false).serializer());
    }

    /**
     * The producer settings ingest starts from (docs/ingest.md explains each): frames leave at once, in order,
     * without duplicates, and a stalled cluster costs frames rather than a stalled camera.
     */
    public static Map<String, Object> lowLatencySettings() {
        Map<String, Object> config = new HashMap<>(Topics.producerSizing());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "posestream-ingest");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /**
     * Hands the frame to the producer. Returns false, with the drop counted, when it could not be handed over;
     * a later broker failure is counted as {@link DropReason#SEND_FAILED} from the callback.
     */
    @Override
    public boolean publish(Frame frame, CameraMetrics metrics) {
        int bytes = frame.getImage().remaining();
        long start = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(topic, frame.getCameraId(), frame), (metadata, error) -> {
                if (error == null) {
                    deliveryProblem = null;
                    metrics.published(bytes, System.nanoTime() - start);
                } else {
                    if (error instanceof RecordTooLargeException) {
                        metrics.dropped(DropReason.TOO_LARGE);
                    } else {
                        deliveryProblem = "frames not delivered to " + topic + ": " + error.getMessage();
                        metrics.dropped(DropReason.SEND_FAILED);
                    }
                    // A broker away (timeouts, disconnects) is said once by the service's broker watch; the drops
                    // are counted. Anything else is news for every frame.
                    if (error instanceof RetriableException) {
                        LOG.debug(
                                "Camera {}: frame {} not delivered to {}: {}",
                                frame.getCameraId(),
                                frame.getSeq(),
                                topic,
                                error.getMessage());
                    } else {
                        LOG.warn(
                                "Camera {}: frame {} not delivered to {}: {}",
                                frame.getCameraId(),
                                frame.getSeq(),
                                topic,
                                error.getMessage());
                    }
                }
            });
            metrics.sent(System.nanoTime() - start);
            return true;
        } catch (SerializationException e) {
            metrics.dropped(DropReason.SERIALIZE_FAILED);
            deliveryProblem = "frames not serialized for " + topic + " (schema registry?): " + e.getMessage();
            if (SchemaRegistryException.isUnavailable(e)) {
                // The registry away is said once by the service's registry watch; the drops are counted.
                LOG.debug(
                        "Camera {}: frame {} not serialized: {}", frame.getCameraId(), frame.getSeq(), e.getMessage());
                return false;
            }
            LOG.warn(
                    "Camera {}: frame {} not serialized for {}: {}",
                    frame.getCameraId(),
                    frame.getSeq(),
                    topic,
                    e.getMessage());
        } catch (RecordTooLargeException e) {
            metrics.dropped(DropReason.TOO_LARGE);
            LOG.warn(
                    "Camera {}: frame {} ({} bytes) is too large for {}: {}",
                    frame.getCameraId(),
                    frame.getSeq(),
                    bytes,
                    topic,
                    e.getMessage());
        } catch (TimeoutException e) {
            metrics.dropped(DropReason.PRODUCER_FULL);
            deliveryProblem = "frames not handed to the producer for " + topic + ": " + e.getMessage();
            LOG.debug(
                    "Camera {}: frame {} dropped, producer blocked: {}",
                    frame.getCameraId(),
                    frame.getSeq(),
                    e.getMessage());
        } catch (KafkaException e) {
            metrics.dropped(DropReason.SEND_FAILED);
            LOG.warn(
                    "Camera {}: frame {} not sent to {}: {}",
                    frame.getCameraId(),
                    frame.getSeq(),
                    topic,
                    e.getMessage());
        }
        return false;
    }

    /**
     * Why frames are not reaching the broker right now (the latest delivery failed or the producer could not take a
     * frame), or null while the latest frame was delivered or none was sent yet.
     */
    public String deliveryProblem() {
        return deliveryProblem;
    }

    /** Blocks until every frame handed to the producer is acknowledged or has failed (and been counted). */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
