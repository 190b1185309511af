package io.posestream.audit;

import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the frame, pose and pose-event topics as a {@code read_committed} consumer outside any group (nothing is
 * committed, nobody's position moves) and hands them to an {@link AuditLedger}.
 *
 * <p>The window selects frames: by record time ({@link Window#between}) or by offsets of the frame topic
 * ({@link Window#offsets}). Answers are looked for from a minute before the window's first frame to the topics' end
 * at the time of reading, since a frame is answered after it was written (the minute allows for clocks of other
 * hosts). Only the fields an audit needs are decoded: the images are skipped by Avro schema projection.
 */
public final class TopicAudit {
    /** How far before the first frame answers are looked for (producers on other hosts, other clocks). */
    static final Duration ANSWER_LOOKBACK = Duration.ofMinutes(1);

    private static final Schema FRAME_KEY = projection(Frame.getClassSchema(), "cameraId", "seq", "captureTime");
    private static final Schema POSE_KEY =
            projection(PoseFrame.getClassSchema(), "cameraId", "seq", "captureTime", "status");
    private static final Schema EVENT_KEY = projection(PoseEvent.getClassSchema(), "cameraId", "seq", "captureTime");

    private final Map<String, Object> clientConfig;
    private final String framesTopic;
    private final String posesTopic;
    private final String eventsTopic;

    /** @param clientConfig bootstrap servers, {@code schema.registry.url} and any security settings */
    public TopicAudit(Map<String, Object> clientConfig) {
        this(clientConfig, Topics.FRAMES, Topics.POSES, Topics.POSE_EVENTS);
    }

    public TopicAudit(Map<String, Object> clientConfig, String framesTopic, String posesTopic, String eventsTopic) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.framesTopic = framesTopic;
        this.posesTopic = posesTopic;
        this.eventsTopic = eventsTopic;
    }

    /**
     * Which frames to audit.
     *
     * @param from    frames written at or after this time (null: per {@code offsets})
     * @param to      frames written before this time (null: up to the end of the topic)
     * @param offsets per partition of the frame topic, {@code [first, end)} offsets (null: per time)
     */
    public record Window(Instant from, Instant to, Map<Integer, long[]> offsets) {
        public static Window between(Instant from, Instant to) {
            return new Window(from, to, null);
        }

        public static Window offsets(Map<Integer, long[]> offsets) {
            return new Window(null, null, Map.copyOf(offsets));
        }

        @Override
        public String toString() {
            if (offsets != null) {
                StringBuilder text = new StringBuilder("frame offsets");
                offsets.forEach((p, r) -> text.append(' ')
                        .append(p)
                        .append(':')
                        .append(r[0])
                        .append('-')
                        .append(r[1]));
                return text.toString();
            }
            return "frames written from " + from + (to == null ? " on" : " to " + to);
        }
    }

    /** Audits the frames of {@code window}; gives up after {@code timeout} if the topics cannot be read. */
    public AuditReport run(Window window, Duration timeout) {
        AuditLedger ledger = new AuditLedger();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                AvroDeserializer<GenericRecord> frames = deserializer(FRAME_KEY);
                AvroDeserializer<GenericRecord> poses = deserializer(POSE_KEY);
                AvroDeserializer<GenericRecord> events = deserializer(EVENT_KEY)) {
            long[] firstFrameTime = {Long.MAX_VALUE};
            Map<TopicPartition, long[]> frameRanges = frameRanges(consumer, window, deadline);
            read(consumer, frameRanges, deadline, record -> {
                GenericRecord frame = frames.deserialize(record.topic(), record.value());
                if (frame != null) {
                    firstFrameTime[0] = Math.min(firstFrameTime[0], record.timestamp());
                    ledger.frame(camera(frame), (Long) frame.get("seq"), (Long) frame.get("captureTime"));
                }
            });
            if (firstFrameTime[0] == Long.MAX_VALUE) {
                return ledger.report();
            }
            Instant answersFrom = Instant.ofEpochMilli(firstFrameTime[0]).minus(ANSWER_LOOKBACK);
            read(consumer, rangesToEnd(consumer, posesTopic, answersFrom, deadline), deadline, record -> {
                GenericRecord pose = poses.deserialize(record.topic(), record.value());
                if (pose != null) {
                    ledger.pose(
                            camera(pose),
                            (Long) pose.get("seq"),
                            (Long) pose.get("captureTime"),
                            String.valueOf(pose.get("status")));
                }
            });
            read(consumer, rangesToEnd(consumer, eventsTopic, answersFrom, deadline), deadline, record -> {
                GenericRecord event = events.deserialize(record.topic(), record.value());
                if (event != null) {
                    ledger.event(camera(event), (Long) event.get("seq"), (Long) event.get("captureTime"));
                }
            });
        }
        return ledger.report();
    }

    private Map<TopicPartition, long[]> frameRanges(
            KafkaConsumer<byte[], byte[]> consumer, Window window, long deadline) {
        if (window.offsets() != null) {
            Map<TopicPartition, long[]> ranges = new HashMap<>();
            window.offsets().forEach((p, r) -> ranges.put(new TopicPartition(framesTopic, p), r.clone()));
            return ranges;
        }
        Map<TopicPartition, long[]> ranges = rangesToEnd(consumer, framesTopic, window.from(), deadline);
        if (window.to() != null) {
            Map<TopicPartition, Long> at = new HashMap<>();
            ranges.keySet().forEach(tp -> at.put(tp, window.to().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> ends = consumer.offsetsForTimes(at, left(deadline));
            ranges.forEach((tp, range) -> {
                OffsetAndTimestamp end = ends.get(tp);
                if (end != null) {
                    range[1] = Math.min(range[1], end.offset());
                }
            });
        }
        return ranges;
    }

    /** Per partition of {@code topic}: from the first record at or after {@code from} to the end now. */
    private static Map<TopicPartition, long[]> rangesToEnd(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Instant from, long deadline) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, left(deadline));
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("Topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, left(deadline));
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, left(deadline));
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = starts.get(tp);
            long end = ends.get(tp);
            ranges.put(tp, new long[] {start == null ? end : start.offset(), end});
        }
        return ranges;
    }

    /** Reads each partition from its first offset up to (not including) its end offset. */
    private static void read(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, long[]> ranges,
            long deadline,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<TopicPartition, long[]> open = new HashMap<>();
        ranges.forEach((tp, r) -> {
            if (r[0] < r[1]) {
                open.put(tp, r);
            }
        });
        consumer.assign(open.keySet());
        open.forEach((tp, r) -> consumer.seek(tp, r[0]));
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Timed out reading " + open.keySet() + " up to their end offsets");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                long[] range = open.get(new TopicPartition(record.topic(), record.partition()));
                if (range != null && record.offset() < range[1]) {
                    handler.accept(record);
                }
            }
            // Aborted transactions and commit markers leave offsets no record has: positions tell when a range ends.
            // A finished partition is paused, not unassigned, so no fetch in flight is left without its partition.
            List<TopicPartition> done = new ArrayList<>();
            open.forEach((tp, range) -> {
                if (consumer.position(tp, left(deadline)) >= range[1]) {
                    done.add(tp);
                }
            });
            consumer.pause(done);
            done.forEach(open::remove);
        }
        consumer.assign(List.of());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(Topics.consumerSizing());
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "posestream-audit");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private AvroDeserializer<GenericRecord> deserializer(Schema projection) {
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(null, projection);
        deserializer.configure(clientConfig, false);
        return deserializer;
    }

    private static String camera(GenericRecord record) {
        return String.valueOf(record.get("cameraId"));
    }

    /** The record schema with only the named fields: Avro skips the rest (the image bytes) while reading. */
    static Schema projection(Schema full, String... fields) {
        List<Schema.Field> kept = new ArrayList<>();
        for (String name : fields) {
            Schema.Field field = full.getField(name);
            kept.add(new Schema.Field(field.name(), field.schema(), field.doc(), field.defaultVal()));
        }
        return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, kept);
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
