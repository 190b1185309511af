package io.posestream.connect;

import io.posestream.ingest.metrics.CameraMetrics;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A frame's source record (key: camera id, value: the Avro wire-format bytes, source partition: the camera, source
 * offset: its seq) that remembers its camera's meters and when it was queued, so the task can count it published
 * once Connect reports it committed.
 */
final class FrameRecord extends SourceRecord {
    private final CameraMetrics metrics;
    private final int imageBytes;
    private final long queuedNanos;

    FrameRecord(
            Map<String, ?> sourcePartition,
            Map<String, ?> sourceOffset,
            String topic,
            Schema keySchema,
            Object key,
            Schema valueSchema,
            Object value,
            CameraMetrics metrics,
            int imageBytes,
            long queuedNanos) {
        super(sourcePartition, sourceOffset, topic, null, keySchema, key, valueSchema, value);
        this.metrics = metrics;
        this.imageBytes = imageBytes;
        this.queuedNanos = queuedNanos;
    }

    CameraMetrics metrics() {
        return metrics;
    }

    int imageBytes() {
        return imageBytes;
    }

    long queuedNanos() {
        return queuedNanos;
    }
}
