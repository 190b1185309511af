package io.posestream.connect;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.posestream.avro.Frame;
import io.posestream.connect.config.RtspSourceConfig;
import io.posestream.ingest.CameraGroup;
import io.posestream.ingest.metrics.DropReason;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a share of the connector's cameras with ingest's camera code ({@link CameraGroup}): each camera on its own
 * thread, its frames serialized and queued ({@link FrameQueue}), {@link #poll()} handing them to Connect. Each
 * camera's {@code seq} continues from the last one Connect committed for it (source partition = camera, offset =
 * last seq), so it keeps counting across task moves and worker crashes.
 *
 * <p>A camera that fails for good (credentials refused, bad URL, unsupported codec) stops alone and is logged; when
 * every camera of the task has failed, the task fails with their reasons (credentials masked), which is what
 * Connect's REST status shows. With one camera per task that is exactly the failed camera.
 */
public final class RtspSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(RtspSourceTask.class);
    /** How long poll() waits for a first frame: short, so the worker can stop or commit the task promptly. */
    private static final long POLL_WAIT_MILLIS = 200;

    private Serializer<Frame> serializer;
    private FrameQueue queue;
    private CameraGroup cameras;
    private CameraTaskMetrics pluginMetrics;

    @Override
    public String version() {
        return Version.current();
    }

    @Override
    public void start(Map<String, String> props) {
        RtspSourceConfig config = RtspSourceConfig.forTask(props);
        Map<String, Long> firstSeq = firstSeqs(config.cameraIds());
        serializer =
                AvroSerdes.specific(Frame.class, config.serdeConfig(), false).serializer();
        queue = new FrameQueue(config.topic(), serializer, config.queueMaxFrames());
        cameras =
                new CameraGroup(config.cameras(), config.passwords(), queue, new SimpleMeterRegistry(), firstSeq::get);
        try {
            pluginMetrics = new CameraTaskMetrics(context.pluginMetrics(), cameras);
        } catch (RuntimeException | LinkageError e) {
            // An older worker without plugin metrics (KIP-877): the cameras work the same, unmetered by Connect.
            LOG.info("Camera metrics not published as Connect plugin metrics: {}", e.toString());
        }
        cameras.start();
        LOG.info("RTSP source task started: cameras {}, first seq {}", config.cameraIds(), firstSeq);
    }

    /** Each camera's next seq: one after the last committed for it, 0 for a camera Connect has not seen. */
    private Map<String, Long> firstSeqs(List<String> cameraIds) {
        List<Map<String, String>> partitions = new ArrayList<>();
        cameraIds.forEach(id -> partitions.add(FrameQueue.partition(id)));
        Map<Map<String, String>, Map<String, Object>> offsets =
                context.offsetStorageReader().offsets(partitions);
        Map<String, Long> first = new HashMap<>();
        for (String id : cameraIds) {
            Map<String, Object> offset = offsets == null ? null : offsets.get(FrameQueue.partition(id));
            Object seq = offset == null ? null : offset.get(FrameQueue.OFFSET_SEQ);
            first.put(id, seq instanceof Number last ? last.longValue() + 1 : 0L);
        }
        return first;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<FrameRecord> records = queue.drain(POLL_WAIT_MILLIS);
        if (records.isEmpty()) {
            Map<String, String> failures = cameras.failures();
            if (failures.size() == cameras.cameraIds().size()) {
                throw new ConnectException("every camera of this task failed: " + describe(failures));
            }
            return null;
        }
        return new ArrayList<>(records);
    }

    private static String describe(Map<String, String> failures) {
        List<String> parts = new ArrayList<>();
        failures.forEach((camera, reason) -> parts.add("camera " + camera + ": " + reason));
        return String.join("; ", parts);
    }

    /** Connect committed the record (its transaction, with exactly-once) or gave up on it (null metadata). */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (record instanceof FrameRecord frame) {
            if (metadata != null) {
                frame.metrics().published(frame.imageBytes(), System.nanoTime() - frame.queuedNanos());
            } else {
                frame.metrics().dropped(DropReason.SEND_FAILED);
            }
        }
    }

    /**
     * Stops the cameras (a grab in progress ends within its camera's timeout). Frames still queued were never
     * handed to Connect: they are dropped, and their seqs are given again by whichever task runs the camera next.
     */
    @Override
    public void stop() {
        if (cameras != null) {
            cameras.close();
        }
        if (queue != null) {
            int left = queue.discard();
            if (left > 0) {
                LOG.info("RTSP source task stopped; {} queued frame(s) not handed to Connect were dropped", left);
            }
        }
        if (pluginMetrics != null) {
            pluginMetrics.close();
        }
        if (serializer != null) {
            serializer.close();
        }
    }
}
