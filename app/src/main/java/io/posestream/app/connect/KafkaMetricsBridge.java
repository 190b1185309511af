package io.posestream.app.connect;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Brings the Connect worker's own metrics to {@code posestream connect}'s {@code /metrics}: Connect instantiates this
 * reporter from {@code metric.reporters} and reports every metric of the worker to it, including the plugin metrics
 * the RTSP tasks publish per camera. Those become ingest's meter names ({@code frames-published-total} of camera c
 * is {@code posestream_ingest_frames_published_total{camera="c",connector,task}}), so ingest's dashboards and
 * alerts work on either; the worker's, connectors' and tasks' own metrics are named like Micrometer's Kafka binders
 * name client metrics ({@code kafka_connect_worker_connector_count}). Kafka client internals are left to the
 * clients' own meters. A metric whose name ends in {@code -total} is a counter, any other a gauge.
 */
public final class KafkaMetricsBridge implements MetricsReporter {
    private static final Set<String> WORKER_GROUPS = Set.of(
            "connect-worker-metrics",
            "connect-worker-rebalance-metrics",
            "connect-coordinator-metrics",
            "connector-metrics",
            "connector-task-metrics",
            "source-task-metrics",
            "task-error-metrics");
    private static final String PLUGIN_GROUP = "plugins";
    private static volatile MeterRegistry target;

    private final Map<MetricName, Meter> meters = new ConcurrentHashMap<>();

    /** Where every bridge of this JVM registers meters from now on (the command's registry). */
    public static void bindTo(MeterRegistry registry) {
        target = registry;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure: the registry is bound by the command that starts the worker.
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        MeterRegistry registry = target;
        String name = meterName(metric.metricName());
        if (registry == null || name == null) {
            return;
        }
        metricRemoval(metric);
        Tags tags = Tags.empty();
        for (Map.Entry<String, String> tag : metric.metricName().tags().entrySet()) {
            tags = tags.and(tag.getKey(), tag.getValue());
        }
        Meter meter;
        if (name.endsWith(".total")) {
            meter = FunctionCounter.builder(
                            name.substring(0, name.length() - ".total".length()), metric, KafkaMetricsBridge::value)
                    .description(metric.metricName().description())
                    .tags(tags)
                    .register(registry);
        } else {
            meter = Gauge.builder(name, metric, KafkaMetricsBridge::value)
                    .description(metric.metricName().description())
                    .tags(tags)
                    .register(registry);
        }
        meters.put(metric.metricName(), meter);
    }

    /** The meter name for a Kafka metric, or null when it is not bridged. */
    static String meterName(MetricName metric) {
        String name = metric.name().replace('-', '.');
        if (PLUGIN_GROUP.equals(metric.group()) && metric.tags().containsKey("camera")) {
            return "posestream.ingest." + name;
        }
        if (WORKER_GROUPS.contains(metric.group())) {
            return "kafka." + metric.group().replaceFirst("-metrics$", "").replace('-', '.') + "." + name;
        }
        return null;
    }

    private static double value(KafkaMetric metric) {
        return metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        Meter meter = meters.remove(metric.metricName());
        MeterRegistry registry = target;
        if (meter != null && registry != null) {
            registry.remove(meter);
        }
    }

    @Override
    public void close() {
        MeterRegistry registry = target;
        if (registry != null) {
            meters.values().forEach(registry::remove);
        }
        meters.clear();
    }
}
