package io.posestream.app.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaMetricsBridgeTest {

    private static MetricName metric(String name, String group, Map<String, String> tags) {
        return new MetricName(name, group, "", new LinkedHashMap<>(tags));
    }

    @Test
    void cameraPluginMetricsTakeIngestsNamesAndWorkerMetricsKafkaBinderNames() {
        assertThat(KafkaMetricsBridge.meterName(metric(
                        "frames-published-total", "plugins", Map.of("connector", "c", "task", "0", "camera", "a"))))
                .isEqualTo("posestream.ingest.frames.published.total");
        assertThat(KafkaMetricsBridge.meterName(metric("camera-state", "plugins", Map.of("camera", "a"))))
                .isEqualTo("posestream.ingest.camera.state");
        assertThat(KafkaMetricsBridge.meterName(metric("connector-count", "connect-worker-metrics", Map.of())))
                .isEqualTo("kafka.connect.worker.connector.count");
        assertThat(KafkaMetricsBridge.meterName(
                        metric("source-record-poll-total", "source-task-metrics", Map.of("task", "0"))))
                .isEqualTo("kafka.source.task.source.record.poll.total");
    }

    @Test
    void clientInternalsAndOtherPluginsMetricsAreLeftOut() {
        assertThat(KafkaMetricsBridge.meterName(metric("record-send-rate", "producer-metrics", Map.of())))
                .isNull();
        assertThat(KafkaMetricsBridge.meterName(metric("calls", "plugins", Map.of("connector", "other"))))
                .isNull();
    }
}
