package io.posestream.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON body: status, failing names, each check, with text escaped. */
class HealthReportTest {

    @Test
    void jsonNamesFailingChecksAndEscapesDetails() {
        Map<String, HealthCheck.Result> checks = new LinkedHashMap<>();
        checks.put("registry \"main\"", HealthCheck.Result.down("line1\nline2\t\\ \u0001"));
        checks.put("model loaded", HealthCheck.Result.up("hrnet-w32"));
        HealthReport report = new HealthReport(checks);
        assertThat(report.healthy()).isFalse();
        assertThat(report.toJson())
                .isEqualTo("{\"status\":\"DOWN\",\"failing\":[\"registry \\\"main\\\"\"],"
                        + "\"checks\":{\"registry \\\"main\\\"\":{\"status\":\"DOWN\",\"detail\":\"line1\\nline2\\t\\\\ "
                        + "\\u0001\"},\"model loaded\":{\"status\":\"UP\",\"detail\":\"hrnet-w32\"}}}");
    }

    @Test
    void noChecksIsHealthy() {
        HealthReport report = new HealthReport(Map.of());
        assertThat(report.healthy()).isTrue();
        assertThat(report.toJson()).isEqualTo("{\"status\":\"UP\",\"failing\":[],\"checks\":{}}");
    }
}
