package io.posestream.connect;

import io.posestream.ingest.CameraGroup;
import io.posestream.ingest.CameraState;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.ingest.metrics.DropReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * Publishes the task's camera meters as Connect plugin metrics (KIP-877): group {@code plugins}, tags
 * {@code connector}, {@code task}, {@code camera} (and {@code state} or {@code reason}), so they reach JMX
 * ({@code kafka.connect:type=plugins,...}), every {@code metric.reporters} of the worker and Strimzi's Prometheus
 * exporter. Names follow ingest's meters: {@code frames-published-total} is ingest's
 * {@code posestream_ingest_frames_published_total}.
 */
final class CameraTaskMetrics implements AutoCloseable {
    private final PluginMetrics plugin;
    private final List<MetricName> names = new ArrayList<>();

    CameraTaskMetrics(PluginMetrics plugin, CameraGroup cameras) {
        this.plugin = plugin;
        for (String camera : cameras.cameraIds()) {
            CameraMetrics m = cameras.metrics(camera);
            for (CameraState state : CameraState.values()) {
                add(
                        "camera-state",
                        "1 for the camera's current state, 0 for the others",
                        camera,
                        "state",
                        state.name().toLowerCase(Locale.ROOT),
                        x -> x.state() == state ? 1 : 0,
                        m);
            }
            add("frames-decoded-total", "Frames decoded from the source", camera, m, CameraMetrics::framesDecoded);
            add(
                    "frames-sampled-out-total",
                    "Decoded frames not kept by the target-fps sampler",
                    camera,
                    m,
                    CameraMetrics::framesSampledOut);
            add(
                    "frames-published-total",
                    "Frames committed to the topic by the worker",
                    camera,
                    m,
                    CameraMetrics::framesPublished);
            for (DropReason reason : DropReason.values()) {
                add(
                        "frames-dropped-total",
                        "Sampled frames that did not reach the topic, by reason",
                        camera,
                        "reason",
                        reason.tag(),
                        x -> x.framesDropped(reason),
                        m);
            }
            add(
                    "decode-errors-total",
                    "Frames the decoder reported damaged plus failed grabs",
                    camera,
                    m,
                    CameraMetrics::decodeErrors);
            add("reconnects-total", "Connected streams lost", camera, m, CameraMetrics::reconnects);
            add("connect-failures-total", "Failed connection attempts", camera, m, CameraMetrics::connectFailures);
            add("published-bytes-total", "JPEG bytes committed to the topic", camera, m, CameraMetrics::publishedBytes);
        }
    }

    private void add(
            String name, String description, String camera, CameraMetrics m, ToDoubleFunction<CameraMetrics> f) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("camera", camera);
        register(name, description, tags, f, m);
    }

    private void add(
            String name,
            String description,
            String camera,
            String tag,
            String tagValue,
            ToDoubleFunction<CameraMetrics> f,
            CameraMetrics m) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("camera", camera);
        tags.put(tag, tagValue);
        register(name, description, tags, f, m);
    }

    private void register(
            String name,
            String description,
            LinkedHashMap<String, String> tags,
            ToDoubleFunction<CameraMetrics> f,
            CameraMetrics m) {
        MetricName metric = plugin.metricName(name, description, tags);
        plugin.addMetric(metric, (Gauge<Double>) (config, now) -> f.applyAsDouble(m));
        names.add(metric);
    }

    @Override
    public void close() {
        for (MetricName name : names) {
            try {
                plugin.removeMetric(name);
            } catch (IllegalStateException e) {
                return; // the worker closed the task's plugin metrics first: all are gone
            }
        }
        names.clear();
    }
}
