package io.posestream.inference.worker;

import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes frames as ingest does (Avro {@link Frame}, Confluent wire format, keyed by camera id), camera
 * {@code cam-N} on partition N, and hands back the exact bytes sent so dead letters can be compared with them.
 */
final class FrameProducer implements AutoCloseable {
    /** Size of the sample video's frames. */
    static final int WIDTH = 768;

    static final int HEIGHT = 576;

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<Frame> serializer;

    /** One record as sent: where it landed and its value bytes. */
    record Sent(int partition, long offset, byte[] value) {}

    FrameProducer(String bootstrapServers, Map<String, Object> serdeConfig, String topic) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(Topics.producerSizing());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Fresh topics: a first batch refused before the leader is ready must not be overtaken by later ones.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.serializer = AvroSerdes.specific(Frame.class, serdeConfig, false).serializer();
    }

    static String camera(int index) {
        return "cam-" + index;
    }

    /** A frame of camera {@code cam-index} holding {@code image} (whatever its bytes), captured at {@code at}. */
    static Frame frame(int camera, long seq, Instant at, byte[] image) {
        return Frame.newBuilder()
                .setCameraId(camera(camera))
                .setSeq(seq)
                .setCaptureTime(at)
                .setPts(seq * 500_000L)
                .setWidth(WIDTH)
                .setHeight(HEIGHT)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .build();
    }

    /** Sends a frame captured now. */
    Sent send(int camera, long seq, byte[] image) {
        return send(frame(camera, seq, Instant.now(), image));
    }

    Sent send(Frame frame) {
        int partition = Integer.parseInt(frame.getCameraId().substring("cam-".length()));
        return sendRaw(partition, frame.getCameraId(), serializer.serialize(topic, frame));
    }

    /** Sends {@code value} as it is, Avro or not. */
    Sent sendRaw(int partition, String key, byte[] value) {
        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, partition, key, value))
                    .get();
            return new Sent(metadata.partition(), metadata.offset(), value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic + "-" + partition, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
