package io.posestream.connect;

import io.posestream.avro.Frame;
import io.posestream.ingest.FrameSink;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.ingest.metrics.DropReason;
import io.posestream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Connect task's {@link FrameSink}: each camera thread serializes its frame with the project's Avro serializer
 * (so the bytes are exactly what the {@code ingest} process's producer writes) and queues it as a
 * {@link FrameRecord}; the task's {@code poll()} drains the queue. Never blocks a camera: a full queue drops the
 * frame as {@code producer_full}, the same reason ingest gives when its producer cannot take a frame.
 */
final class FrameQueue implements FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(FrameQueue.class);
    /** Source partition key: the camera. Offset key: the last seq handed to Connect. */
    static final String PARTITION_CAMERA = "camera";

    static final String OFFSET_SEQ = "seq";

    private final String topic;
    private final Serializer<Frame> serializer;
    private final BlockingQueue<FrameRecord> queue;

    FrameQueue(String topic, Serializer<Frame> serializer, int capacity) {
        this.topic = topic;
        this.serializer = serializer;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    static Map<String, String> partition(String cameraId) {
        return Map.of(PARTITION_CAMERA, cameraId);
    }

    @Override
    public boolean publish(Frame frame, CameraMetrics metrics) {
        long start = System.nanoTime();
        byte[] value;
        try {
            value = serializer.serialize(topic, frame);
        } catch (SerializationException e) {
            metrics.dropped(DropReason.SERIALIZE_FAILED);
            LOG.warn(
                    "Camera {}: frame {} not serialized for {}: {}",
                    frame.getCameraId(),
                    frame.getSeq(),
                    topic,
                    e.getMessage());
            return false;
        }
        if (value.length > Topics.MAX_MESSAGE_BYTES) {
            // The worker's producer would refuse it and fail the whole task: drop it here, like ingest does.
            metrics.dropped(DropReason.TOO_LARGE);
            LOG.warn(
                    "Camera {}: frame {} ({} bytes) is too large for {} (max {} bytes)",
                    frame.getCameraId(),
                    frame.getSeq(),
                    value.length,
                    topic,
                    Topics.MAX_MESSAGE_BYTES);
            return false;
        }
        FrameRecord record = new FrameRecord(
                partition(frame.getCameraId()),
                Map.of(OFFSET_SEQ, frame.getSeq()),
                topic,
                Schema.STRING_SCHEMA,
                frame.getCameraId(),
                Schema.BYTES_SCHEMA,
                value,
                metrics,
                frame.getImage().remaining(),
                start);
        if (!queue.offer(record)) {
            metrics.dropped(DropReason.PRODUCER_FULL);
            LOG.debug("Camera {}: frame {} dropped, the task's queue is full", frame.getCameraId(), frame.getSeq());
            return false;
        }
        metrics.sent(System.nanoTime() - start);
        return true;
    }

    /**
     * The frames queued so far, waiting up to {@code maxWaitMillis} for the first one; empty when none came. Each
     * camera's frames stay in seq order.
     */
    List<FrameRecord> drain(long maxWaitMillis) throws InterruptedException {
        FrameRecord first = queue.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<FrameRecord> records = new ArrayList<>();
        records.add(first);
        queue.drainTo(records);
        return records;
    }

    /** Frames left in the queue: never handed to Connect, so their seqs were never committed. */
    int discard() {
        List<FrameRecord> left = new ArrayList<>();
        queue.drainTo(left);
        return left.size();
    }
}
