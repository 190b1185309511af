package io.posestream.inference.worker;

import io.posestream.schemas.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker's Kafka clients as its delivery needs them: a read_committed consumer without auto-commit, and an
 * idempotent producer that is transactional under exactly-once, with a transactional id unique among live workers.
 * The user's client settings (security, SASL, TLS) pass through; the settings delivery depends on are not theirs to
 * change.
 */
final class WorkerClients {
    private static final AtomicInteger WORKERS_IN_JVM = new AtomicInteger();
    /** The consumer's session timeout unless given (docs/operations.md, recovery settings). */
    static final int SESSION_TIMEOUT_MS = 15_000;

    private WorkerClients() {}

    /** The consumer; one poll may bring {@code maxPollRecords}, a whole read-ahead. */
    static KafkaConsumer<byte[], byte[]> consumer(InferenceConfig config, int maxPollRecords) {
        Map<String, Object> c = new HashMap<>(Topics.consumerSizing());
        // One poll may bring a whole read-ahead: the newest frames are then at hand when a batch is taken.
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The operating system's socket buffer (autotuned to megabytes), not Kafka's 64 KiB: the worker reads the
        // socket only between batches, so a fetch of a second of JPEG frames took several batches to come through a
        // 64 KiB buffer and every frame reached the worker about a second late (docs/inference.md, Delivery).
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        // A crashed worker's cameras move to the others after this long (Kafka's default is 45 s). Heartbeats come
        // from the consumer's own thread every 3 s, so a worker busy with a long batch is not taken for dead.
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        c.putAll(config.clientSettings());
        // Offsets are committed with the output (or after it), never on a timer.
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The producer, transactional when {@code config} asks for exactly-once. */
    static KafkaProducer<byte[], byte[]> producer(InferenceConfig config) {
        Map<String, Object> p = new HashMap<>(Topics.producerSizing());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // An open transaction of a crashed worker holds back read_committed readers until it times out.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        p.putAll(config.clientSettings());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (config.exactlyOnce()) {
            String id = config.getString(InferenceConfig.TRANSACTIONAL_ID);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id.isBlank() ? defaultTransactionalId() : id);
        }
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Unique among live workers, as transactions need (two workers sharing an id fence each other and one stops),
     * yet the same for a restarted container (same host name, same pid, first worker of its JVM), so a restart
     * fences its predecessor's open transaction at once.
     */
    static String defaultTransactionalId() {
        return "posestream-inference-" + hostname() + "-"
                + ProcessHandle.current().pid() + "-" + WORKERS_IN_JVM.getAndIncrement();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
