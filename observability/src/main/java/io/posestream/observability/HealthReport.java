package io.posestream.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every registered check of one kind (liveness or readiness) evaluated once: healthy when all pass. Renders as the
 * JSON body of {@code /health/live} and {@code /health/ready}, e.g.
 * {@code {"status":"DOWN","failing":["model loaded"],"checks":{"model loaded":{"status":"DOWN","detail":"..."}}}}.
 *
 * @param checks each check's result, in registration order
 */
public record HealthReport(Map<String, HealthCheck.Result> checks) {

    public HealthReport {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** True when every check passes (also when there are none). */
    public boolean healthy() {
        return checks.values().stream().allMatch(HealthCheck.Result::passing);
    }

    /** Names of the failing checks, in registration order. */
    public java.util.List<String> failing() {
        return checks.entrySet().stream()
                .filter(e -> !e.getValue().passing())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The JSON body served by the endpoint. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"status\":").append(quote(healthy() ? "UP" : "DOWN"));
        json.append(",\"failing\":[");
        String separator = "";
        for (String name : failing()) {
            json.append(separator).append(quote(name));
            separator = ",";
        }
        json.append("],\"checks\":{");
        separator = "";
        for (Map.Entry<String, HealthCheck.Result> check : checks.entrySet()) {
            json.append(separator)
                    .append(quote(check.getKey()))
                    .append(":{\"status\":")
                    .append(quote(check.getValue().passing() ? "UP" : "DOWN"));
            if (check.getValue().detail() != null) {
                json.append(",\"detail\":").append(quote(check.getValue().detail()));
            }
            json.append('}');
            separator = ",";
        }
        return json.append("}}").toString();
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
