package io.posestream.tracker.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrackerAppConfigTest {
    private static Map<String, Object> streams(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                TrackerAppConfig.BOOTSTRAP_SERVERS, "b:9092", TrackerAppConfig.SCHEMA_REGISTRY_URL, "http://r:8081"));
        settings.putAll(extra);
        return new TrackerAppConfig(settings).streamsConfig();
    }

    @Test
    void theProducerBatchesLargeUnlessTheOperatorSaysOtherwise() {
        assertThat(streams(Map.of()))
                .containsEntry("producer.batch.size", TrackerAppConfig.PRODUCER_BATCH_BYTES)
                .containsEntry("commit.interval.ms", 100L)
                .containsEntry("processing.guarantee", "exactly_once_v2");
        // A plain batch.size applies to every client; a prefixed default must not override it.
        assertThat(streams(Map.of("batch.size", 65536)))
                .containsEntry("batch.size", 65536)
                .doesNotContainKey("producer.batch.size");
        assertThat(streams(Map.of("producer.batch.size", 32768))).containsEntry("producer.batch.size", 32768);
    }

    @Test
    void aMisspeltTrackerKeyStopsTheStartNamingTheKnownOnes() {
        assertThatThrownBy(() -> streams(Map.of("tracker.max.lost", 3000)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracker.max.lost")
                .hasMessageContaining("unknown tracker setting")
                .hasMessageContaining(TrackerAppConfig.MAX_LOST_MS);
        // Offline replay takes tracker settings alone, with the same check.
        assertThatThrownBy(() -> TrackerAppConfig.trackerConfig(Map.of("tracker.min.hit", 2)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tracker.min.hit");
    }

    @Test
    void streamsSettingsPassThroughAndTheTrackersOwnKeysDoNot() {
        Map<String, Object> config = streams(Map.of("num.stream.threads", 2, TrackerAppConfig.MAX_LOST_MS, 3000));

        assertThat(config).containsEntry("num.stream.threads", 2).doesNotContainKey(TrackerAppConfig.MAX_LOST_MS);
    }

    @Test
    void aSettingWhoseMeaningChangedIsRefusedNamingItsReplacement() {
        // tracker.high.score used to be an absolute person score; it is now a fraction of the camera's reference.
        assertThatThrownBy(() -> streams(Map.of("tracker.high.score", 0.3)))
                .hasMessageContaining("tracker.high.score")
                .hasMessageContaining(TrackerAppConfig.HIGH_SCORE);
        assertThatThrownBy(() -> TrackerAppConfig.trackerConfig(Map.of("tracker.new.track.score", "0.3")))
                .hasMessageContaining(TrackerAppConfig.NEW_TRACK_SCORE);
    }

    @Test
    void aMistypedTrackerSettingIsRefusedNotPassedToStreams() {
        assertThatThrownBy(() -> streams(Map.of("tracker.max.lost", 3000)))
                .hasMessageContaining("tracker.max.lost")
                .hasMessageContaining(TrackerAppConfig.MAX_LOST_MS);
        assertThat(TrackerAppConfig.trackerConfig(Map.of(TrackerAppConfig.MAX_LOST_MS, "4000"))
                        .maxLostMs())
                .isEqualTo(4000);
    }
}
