package io.posestream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.analytics.streams.AnalyticsAppConfig;
import io.posestream.config.SettingsTable;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.ingest.config.IngestConfig;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings tables of docs/ are generated from each service's ConfigDef, so they cannot drift from the code.
 * Refresh them with {@code mvn -pl app test -Dtest=SettingsDocsTest -Dposestream.update.docs=true}.
 */
class SettingsDocsTest {
    record Table(String page, String name, ConfigDef definition) {
        @Override
        public String toString() {
            return page + " (" + name + ")";
        }
    }

    static List<Table> tables() {
        return List.of(
                new Table("docs/ingest.md", "ingest", IngestConfig.definition()),
                new Table("docs/inference.md", "inference", InferenceConfig.definition()),
                new Table("docs/tracker.md", "tracker", TrackerAppConfig.definition()),
                new Table("docs/analytics.md", "analytics", AnalyticsAppConfig.definition()),
                new Table("docs/dashboard.md", "dashboard", DashboardConfig.definition()));
    }

    @ParameterizedTest
    @MethodSource("tables")
    void theDocsTableIsTheOneGeneratedFromTheDeclaration(Table table) throws Exception {
        Path page = Repository.root().resolve(table.page());
        String text = Files.readString(page);
        String begin = SettingsTable.begin(table.name());
        String end = SettingsTable.end(table.name());
        String generated = "\n" + SettingsTable.markdown(table.definition(), key -> true);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as(table.page() + " holds the marker " + begin).isNotNegative();
        assertThat(to).as(table.page() + " holds the marker " + end).isGreaterThan(from);
        String current = text.substring(from + begin.length(), to);
        if (Boolean.getBoolean("posestream.update.docs") && !current.equals(generated)) {
            Files.writeString(page, text.substring(0, from + begin.length()) + generated + text.substring(to));
            current = generated;
        }
        assertThat(current)
                .as(table.page() + " is out of date; rerun with -Dposestream.update.docs=true")
                .isEqualTo(generated);
    }
}
