package io.posestream.bench;

import io.posestream.cli.SettingOverrides;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracker settings among a benchmark's {@code --setting} flags, so a benchmark that replays the tracker offline
 * measures each part's worth by turning it off. Topic settings are the service's, not the tracker's, and are left
 * out.
 */
final class TrackerOverrides {
    private TrackerOverrides() {}

    /** The tracker settings given, without their topics. */
    static Map<String, String> settings(SettingOverrides overrides) {
        Map<String, String> tracker = new LinkedHashMap<>();
        overrides.settings().forEach((key, value) -> {
            if (key.startsWith(TrackerAppConfig.PREFIX)
                    && !List.of(
                                    TrackerAppConfig.INPUT_TOPIC,
                                    TrackerAppConfig.OUTPUT_TOPIC,
                                    TrackerAppConfig.DLQ_TOPIC,
                                    TrackerAppConfig.TOPIC_PARTITIONS)
                            .contains(key)) {
                tracker.put(key, value);
            }
        });
        return tracker;
    }

    /** The tracker's settings: the defaults with those given changed. */
    static TrackerConfig config(SettingOverrides overrides) {
        return TrackerAppConfig.trackerConfig(settings(overrides));
    }
}
