package io.posestream.app.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;

/** The worker properties posestream connect derives from its options, checked by Connect's own config class. */
class WorkerSettingsTest {

    private static WorkerSettings settings(Map<String, String> worker) {
        return new WorkerSettings(
                "kafka:9092",
                "cams",
                "0.0.0.0",
                8083,
                "connect-0.connect",
                Path.of("/opt/posestream/plugins"),
                true,
                10_000,
                Map.of("security.protocol", "SASL_SSL", "bootstrap.servers", "ignored:1"),
                worker);
    }

    @Test
    void exactlyOnceShortRebalanceDelayProvidersAndFrameSizedProducersAreTheDefaults() {
        Map<String, String> props = settings(Map.of()).properties();
        assertThat(props)
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("group.id", "cams")
                .containsEntry("config.storage.topic", "cams-configs")
                .containsEntry("offset.storage.topic", "cams-offsets")
                .containsEntry("status.storage.topic", "cams-status")
                .containsEntry("exactly.once.source.support", "enabled")
                .containsEntry("scheduled.rebalance.max.delay.ms", "10000")
                .containsEntry("listeners", "http://0.0.0.0:8083")
                .containsEntry("rest.advertised.host.name", "connect-0.connect")
                .containsEntry("plugin.path", "/opt/posestream/plugins")
                .containsEntry("config.providers", "file,env")
                .containsEntry("producer.max.request.size", Integer.toString(8 * 1024 * 1024 + 64 * 1024))
                .containsEntry("metric.reporters", WorkerSettings.METRIC_REPORTERS);
        // Security settings reach the worker's own clients and the ones it makes for tasks.
        assertThat(props)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("producer.security.protocol", "SASL_SSL")
                .containsEntry("consumer.security.protocol", "SASL_SSL")
                .containsEntry("admin.security.protocol", "SASL_SSL");
        // Connect's own config class accepts them all.
        DistributedConfig config = new DistributedConfig(props);
        assertThat(config.exactlyOnceSourceEnabled()).isTrue();
    }

    @Test
    void workerFlagsWinOverEverything() {
        Map<String, String> props = settings(Map.of("scheduled.rebalance.max.delay.ms", "0", "group.id", "other"))
                .properties();
        assertThat(props).containsEntry("scheduled.rebalance.max.delay.ms", "0").containsEntry("group.id", "other");
    }
}
