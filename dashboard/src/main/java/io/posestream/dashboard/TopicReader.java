package io.posestream.dashboard;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.ClientErrors;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames and pose-events topics (and, with a rules file, the activity-events topic) from their end (a
 * dashboard shows the present, not history) and feeds the {@link LiveBoard}. The compacted zone-counts topic is read
 * from its beginning: what it holds is each zone's count now. It assigns partitions itself rather than joining a
 * consumer group: every dashboard sees every camera, and nothing is committed. Partitions that appear after start
 * (topics created later, partitions added) are read from their beginning, since all they hold is newer than the
 * start. Only committed records are read (the tracker and the analytics write in transactions). Records that cannot
 * be decoded are counted and skipped, naming their topic, partition and offset.
 */
final class TopicReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ASSIGNMENT_CHECK_MS = 5_000;

    private final String framesTopic;
    private final String eventsTopic;
    /** Null without a rules file, as is {@link #countsTopic}. */
    private final String activityTopic;

    private final String countsTopic;
    private final LiveBoard board;
    private final long tickMs;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Frame> frames;
    private final Deserializer<PoseEvent> events;
    private final Deserializer<ActivityEvent> activities;
    private final Deserializer<ZoneCount> counts;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Topics whose partitions could not be listed once already (reader thread only). */
    private final Set<String> unlisted = new HashSet<>();
    /** Readable from other threads for readiness; {@link #assigned} belongs to the reader thread. */
    private volatile int assignedCount;

    private volatile boolean running = true;
    private final long startedAtMs = System.currentTimeMillis();

    TopicReader(DashboardConfig config, LiveBoard board) {
        this.framesTopic = config.framesTopic();
        this.eventsTopic = config.eventsTopic();
        boolean analytics = config.rules().isPresent();
        this.activityTopic = analytics ? config.activityTopic() : null;
        this.countsTopic = analytics ? config.countsTopic() : null;
        this.board = board;
        this.tickMs = config.figuresInterval().toMillis();
        Map<String, Object> clients = config.clientSettings();
        Map<String, Object> consumerConfig = new HashMap<>(clients);
        consumerConfig.putAll(Topics.consumerSizing());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A viewer must never create the pipeline's topics (with broker defaults) by looking for them.
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "posestream-dashboard");
        // A live view wants records as soon as they exist, not batched for throughput.
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // Aborted transactions of the tracker or the analytics (a retried batch) would show twice otherwise.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(
                kafkaOnly(consumerConfig), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.frames = AvroSerdes.specific(Frame.class, clients, false).deserializer();
        this.events = AvroSerdes.specific(PoseEvent.class, clients, false).deserializer();
        this.activities =
                AvroSerdes.specific(ActivityEvent.class, clients, false).deserializer();
        this.counts = AvroSerdes.specific(ZoneCount.class, clients, false).deserializer();
        this.thread = new Thread(this::run, "posestream-dashboard-reader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Partitions of the topics being read: 0 until the topics exist and are assigned. */
    int assignedPartitions() {
        return assignedCount;
    }

    /** Whether the reader thread is still reading (it stops only on close or a fatal error). */
    boolean reading() {
        return thread.isAlive() && running;
    }

    private void run() {
        long nextAssignmentCheck = 0;
        long nextTick = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                try {
                    if (now >= nextAssignmentCheck) {
                        nextAssignmentCheck = now + ASSIGNMENT_CHECK_MS;
                        refreshAssignment();
                    }
                    if (!assigned.isEmpty()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                            handle(record);
                        }
                    } else {
                        Thread.sleep(POLL.toMillis());
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // The page keeps showing the cameras as stale; the reader retries rather than dying.
                    LOG.warn("Reading {} failed, retrying in 1 s: {}", topics(), ClientErrors.describe(e));
                    Thread.sleep(1_000);
                }
                if (System.currentTimeMillis() >= nextTick) {
                    board.tick(this::lag);
                    nextTick = System.currentTimeMillis() + tickMs;
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("Dashboard reader stopped: {}", e.toString(), e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String topic = record.topic();
        LiveBoard.Source source = topic.equals(framesTopic)
                ? LiveBoard.Source.FRAMES
                : topic.equals(eventsTopic) ? LiveBoard.Source.EVENTS : LiveBoard.Source.ANALYTICS;
        if (record.value() == null) {
            board.onUnreadable(partition, record.offset(), key(record), source, "null value (tombstone)");
            return;
        }
        try {
            switch (source) {
                case FRAMES ->
                    board.onFrame(
                            frames.deserialize(topic, record.headers(), record.value()), partition, record.offset());
                case EVENTS ->
                    board.onEvent(
                            events.deserialize(topic, record.headers(), record.value()), partition, record.offset());
                case ANALYTICS -> {
                    if (topic.equals(activityTopic)) {
                        board.onActivity(
                                activities.deserialize(topic, record.headers(), record.value()),
                                partition,
                                record.offset());
                    } else {
                        board.onZoneCount(
                                counts.deserialize(topic, record.headers(), record.value()),
                                partition,
                                record.offset());
                    }
                }
            }
        } catch (KafkaException | org.apache.avro.AvroRuntimeException e) {
            board.onUnreadable(partition, record.offset(), key(record), source, e.getMessage());
        }
    }

    /** The topics read: frames and pose events, and with a rules file the activity events and zone counts. */
    private List<String> topics() {
        return activityTopic == null
                ? List.of(framesTopic, eventsTopic)
                : List.of(framesTopic, eventsTopic, activityTopic, countsTopic);
    }

    /** The record's key (its camera id), decoded only to name a record that is skipped. */
    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /**
     * Assigns partitions not yet assigned, each positioned at the first record written after the dashboard started
     * (the end, for a partition with nothing newer): a topic or partition created later is then read whole. The
     * compacted zone counts are read whole from the start: their latest record per zone is the count now.
     */
    private void refreshAssignment() {
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : topics()) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Said once: later attempts (a broker away, said by the service's broker watch) stay at DEBUG.
                if (unlisted.add(topic)) {
                    LOG.info("Cannot list the partitions of {} yet ({}); retrying", topic, e.getMessage());
                } else {
                    LOG.debug("Cannot list the partitions of {} yet ({}); retrying", topic, e.getMessage());
                }
                continue;
            }
            for (PartitionInfo info : partitions) {
                TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                if (!assigned.contains(partition)) {
                    found.add(partition);
                }
            }
        }
        if (found.isEmpty()) {
            return;
        }
        assigned.addAll(found);
        consumer.assign(assigned);
        assignedCount = assigned.size();
        List<TopicPartition> whole = found.stream()
                .filter(partition -> partition.topic().equals(countsTopic))
                .toList();
        if (!whole.isEmpty()) {
            // Never with an empty list: that means every assigned partition.
            consumer.seekToBeginning(whole);
        }
        Map<TopicPartition, Long> since = new HashMap<>();
        found.stream().filter(p -> !whole.contains(p)).forEach(partition -> since.put(partition, startedAtMs));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(10));
        for (TopicPartition partition : since.keySet()) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        LOG.info(
                "Reading {} more partitions of {} from the dashboard's start on{}",
                found.size(),
                topics(),
                countsTopic == null ? "" : " (" + countsTopic + " from its beginning)");
    }

    private long lag(TopicPartition partition) {
        return consumer.currentLag(partition).orElse(-1);
    }

    /** The settings the Kafka consumer knows, so it does not warn about registry keys it never uses. */
    private static Map<String, Object> kafkaOnly(Map<String, Object> settings) {
        Map<String, Object> kafka = new HashMap<>(settings);
        kafka.keySet()
                .removeIf(key -> !ConsumerConfig.configNames().contains(key)
                        && !key.startsWith("sasl.")
                        && !key.startsWith("ssl."));
        return kafka;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
