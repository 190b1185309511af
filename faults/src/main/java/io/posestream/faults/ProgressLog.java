package io.posestream.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each service last made progress, seen from outside, for each camera: a record of the camera arriving on the
 * service's output topic (frames for ingest, poses for infer, pose events for the trackers, read as a
 * {@code read_committed} consumer, so only what downstream can see counts), the dashboard showing a newer seq of the
 * camera, the registry answering ready. {@link #recovery} turns that into the time a service took to make progress
 * again on every camera after a fault.
 */
public final class ProgressLog implements AutoCloseable {
    /** The service name of the trackers together (their output is one topic). */
    public static final String TRACKER = "tracker";

    private static final Pattern SHOWN_SEQ = Pattern.compile("\"cameraId\":\"([^\"]+)\"[^}]*?\"shownSeq\":(-?\\d+)");

    private final LoopbackPipeline pipeline;
    private final Map<String, String> serviceByTopic;
    /** service -> camera -> times of progress. */
    private final Map<String, Map<String, List<Instant>>> progress = new ConcurrentHashMap<>();

    private final Map<String, Long> dashboardSeq = new HashMap<>();
    private volatile boolean closed;
    private final Thread reader;
    private final Thread sampler;

    public ProgressLog(LoopbackPipeline pipeline, String framesTopic, String posesTopic, String eventsTopic) {
        this.pipeline = pipeline;
        this.serviceByTopic =
                Map.of(framesTopic, LoopbackPipeline.INGEST, posesTopic, LoopbackPipeline.INFER, eventsTopic, TRACKER);
        this.reader = new Thread(this::readTopics, "progress-topics");
        this.sampler = new Thread(this::sampleEndpoints, "progress-endpoints");
        reader.setDaemon(true);
        sampler.setDaemon(true);
        reader.start();
        sampler.start();
    }

    private void readTopics() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "faults-progress");
        while (!closed) {
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : serviceByTopic.keySet()) {
                    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.key() != null) {
                            mark(
                                    serviceByTopic.get(record.topic()),
                                    new String(record.key(), StandardCharsets.UTF_8),
                                    Instant.now());
                        }
                    }
                }
            } catch (RuntimeException e) {
                // The broker went away before the consumer knew the partitions: start again.
                sleep(500);
            }
        }
    }

    private void sampleEndpoints() {
        while (!closed) {
            Instant now = Instant.now();
            ServiceProcess registry = pipeline.service(LoopbackPipeline.REGISTRY);
            if (registry.ready()) {
                pipeline.cameraIds().forEach(camera -> mark(LoopbackPipeline.REGISTRY, camera, now));
            }
            var state = ServiceProcess.get(pipeline.dashboardPort(), "/api/state");
            if (state != null && state.statusCode() == 200) {
                Matcher m = SHOWN_SEQ.matcher(state.body());
                while (m.find()) {
                    long seq = Long.parseLong(m.group(2));
                    Long before = dashboardSeq.put(m.group(1), seq);
                    if (before != null && seq != before) {
                        mark(LoopbackPipeline.DASHBOARD, m.group(1), now);
                    }
                }
            }
            sleep(250);
        }
    }

    private void mark(String service, String camera, Instant at) {
        List<Instant> times = progress.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(camera, c -> new ArrayList<>());
        synchronized (times) {
            times.add(at);
        }
    }

    /** The services this log follows. */
    public static List<String> services() {
        return List.of(
                LoopbackPipeline.REGISTRY,
                LoopbackPipeline.INGEST,
                LoopbackPipeline.INFER,
                TRACKER,
                LoopbackPipeline.DASHBOARD);
    }

    /**
     * How long after {@code since} the service made progress on every camera, or null when it has not (yet). A
     * camera's first progress at or after {@code since} counts.
     */
    public Duration recovery(String service, Instant since) {
        Map<String, List<Instant>> byCamera = progress.getOrDefault(service, Map.of());
        Duration longest = Duration.ZERO;
        for (String camera : pipeline.cameraIds()) {
            List<Instant> times = byCamera.get(camera);
            if (times == null) {
                return null;
            }
            Instant first = null;
            synchronized (times) {
                for (Instant t : times) {
                    if (!t.isBefore(since)) {
                        first = t;
                        break;
                    }
                }
            }
            if (first == null) {
                return null;
            }
            Duration took = Duration.between(since, first);
            if (took.compareTo(longest) > 0) {
                longest = took;
            }
        }
        return longest;
    }

    /** Times the service made progress on any camera in {@code [from, to)}. */
    public int count(String service, Instant from, Instant to) {
        int n = 0;
        for (List<Instant> times : progress.getOrDefault(service, Map.of()).values()) {
            synchronized (times) {
                n += (int) times.stream()
                        .filter(t -> !t.isBefore(from) && t.isBefore(to))
                        .count();
            }
        }
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(5_000);
        sampler.join(5_000);
    }
}
