package io.posestream.tracker.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.tracker.core.TrackerConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default tracker against the greedy baseline on the scenes calibrated to real footage (small people, two posed
 * frames a second at irregular intervals, modest scores, misses where people overlap): what real cameras need.
 */
class QualityComparisonTest {

    @Test
    void theDefaultTrackerBeatsTheBaselineOnEveryCalibratedScene() {
        List<Scenario> calibrated =
                Arrays.stream(Scenario.values()).filter(Scenario::calibrated).toList();
        List<QualityComparison.Row> rows = QualityComparison.run(TrackerConfig.DEFAULTS, List.of(1L, 2L), calibrated);
        assertThat(rows).hasSize(calibrated.size()).allSatisfy(row -> {
            assertThat(row.trackerMota()).as("%s MOTA", row.scenario()).isGreaterThan(row.baselineMota() + 20);
            assertThat(row.trackerIdf1()).as("%s IDF1", row.scenario()).isGreaterThan(row.baselineIdf1() + 40);
            assertThat(row.trackerSwitchesPerMinute())
                    .as("%s ID switches per minute", row.scenario())
                    .isLessThan(row.baselineSwitchesPerMinute() / 10);
        });
    }
}
