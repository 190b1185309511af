package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.ZoneCount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics beside each tile: the rules file's zones and lines as given, zone counts, crossings per direction,
 * the latest activity events newest first, and bad analytics records counted and skipped.
 */
class AnalyticsBoardTest {
    static final String RULES = """
            cameras: [cam1, cam2]
            rules:
              - {name: door, camera: cam1, type: zone, units: normalized, overcrowding: 1,
                 polygon: [[0.1, 0.5], [0.5, 0.5], [0.5, 0.9], [0.1, 0.9]]}
              - {name: gate, camera: cam1, type: line, line: [[300, 100], [300, 500]]}
              - {name: falls, camera: cam1, type: fall}
              - {name: path, camera: cam2, type: line, units: normalized, line: [[0.5, 0.1], [0.5, 0.9]]}
            """;
    private static final TopicPartition ACTIVITY = new TopicPartition("posestream.activity-events", 0);
    private static final TopicPartition COUNTS = new TopicPartition("posestream.zone-counts", 0);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final EventHub hub = new EventHub();
    private final ConflatingChannel browser = hub.connect();
    private long offset;

    private LiveBoard board(String rules) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), rules);
        return new LiveBoard(
                new DashboardConfig(Map.of(
                        "bootstrap.servers",
                        "127.0.0.1:1",
                        "schema.registry.url",
                        "http://127.0.0.1:1",
                        DashboardConfig.RULES_FILE,
                        file.toString(),
                        DashboardConfig.ACTIVITY_LIST_SIZE,
                        "3")),
                hub,
                System::currentTimeMillis);
    }

    static ActivityEvent activity(String camera, long seq, String rule, ActivityKind kind, Long trackId) {
        return ActivityEvent.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setTime(T0.plusMillis(100 * seq))
                .setRule(rule)
                .setKind(kind)
                .setTrackId(trackId)
                .build();
    }

    static ZoneCount count(String camera, String zone, int count, boolean overcrowded, long seq) {
        return ZoneCount.newBuilder()
                .setCameraId(camera)
                .setZone(zone)
                .setCount(count)
                .setOvercrowded(overcrowded)
                .setTime(T0.plusMillis(100 * seq))
                .setSeq(seq)
                .build();
    }

    /** The latest analytics message per camera among those waiting for the browser. */
    private Map<String, JsonNode> panels() throws Exception {
        Map<String, JsonNode> panels = new TreeMap<>();
        for (byte[] message : browser.take(0)) {
            String text = new String(message, StandardCharsets.UTF_8);
            if (text.startsWith("event: analytics\n")) {
                JsonNode panel = TileMessages.JSON.readTree(
                        text.substring(text.indexOf("data: ") + 6).trim());
                panels.put(panel.path("camera").asText(), panel);
            }
        }
        return panels;
    }

    @Test
    void everyCameraOfTheRulesGetsItsZonesAndLinesBeforeAnyRecord() throws Exception {
        board(RULES);
        Map<String, JsonNode> panels = panels();
        assertThat(panels).containsOnlyKeys("cam1", "cam2");
        JsonNode door = panels.get("cam1").path("zones").get(0);
        assertThat(door.path("name").asText()).isEqualTo("door");
        assertThat(door.path("normalized").asBoolean()).isTrue();
        assertThat(door.path("points").get(2).get(0).asDouble()).isEqualTo(0.5);
        assertThat(door.path("count").isNull()).as("no count read yet").isTrue();
        JsonNode gate = panels.get("cam1").path("lines").get(0);
        assertThat(gate.path("name").asText()).isEqualTo("gate");
        assertThat(gate.path("normalized").asBoolean()).isFalse();
        assertThat(gate.path("points").get(1).get(1).asDouble()).isEqualTo(500);
        assertThat(panels.get("cam1").path("lines")).hasSize(1);
        assertThat(panels.get("cam2").path("zones")).isEmpty();
        assertThat(panels.get("cam2").path("lines").get(0).path("name").asText())
                .isEqualTo("path");
    }

    @Test
    void countsCrossingsAndTheLatestEventsNewestFirst() throws Exception {
        LiveBoard board = board(RULES);
        panels();
        board.onZoneCount(count("cam1", "door", 1, false, 1), COUNTS, offset++);
        board.onZoneCount(count("cam1", "door", 2, true, 2), COUNTS, offset++);
        // A zone the dashboard's rules do not name: its count is listed, with nothing to draw.
        board.onZoneCount(count("cam1", "elsewhere", 4, false, 2), COUNTS, offset++);
        ActivityEvent crossed = activity("cam1", 3, "gate", ActivityKind.LINE_CROSSED, 7L);
        crossed.setDirection(1);
        board.onActivity(crossed, ACTIVITY, offset++);
        ActivityEvent back = activity("cam1", 4, "gate", ActivityKind.LINE_CROSSED, 8L);
        back.setDirection(-1);
        board.onActivity(back, ACTIVITY, offset++);
        board.onActivity(activity("cam1", 5, "door", ActivityKind.ZONE_OVERCROWDED, null), ACTIVITY, offset++);
        ActivityEvent fall = activity("cam1", 6, "falls", ActivityKind.FALL, 9L);
        fall.setDurationMs(1100L);
        board.onActivity(fall, ACTIVITY, offset++);
        board.tick(partition -> 0);

        JsonNode cam1 = panels().get("cam1");
        assertThat(cam1.path("received").asLong()).isEqualTo(4);
        JsonNode door = cam1.path("zones").get(0);
        assertThat(door.path("count").asInt()).isEqualTo(2);
        assertThat(door.path("overcrowded").asBoolean()).isTrue();
        JsonNode elsewhere = cam1.path("zones").get(1);
        assertThat(elsewhere.path("name").asText()).isEqualTo("elsewhere");
        assertThat(elsewhere.path("count").asInt()).isEqualTo(4);
        assertThat(elsewhere.path("points")).isEmpty();
        JsonNode gate = cam1.path("lines").get(0);
        assertThat(gate.path("positive").asLong()).isEqualTo(1);
        assertThat(gate.path("negative").asLong()).isEqualTo(1);
        // At most 3 listed (dashboard.activity.list.size), newest first.
        List<String> kinds = new ArrayList<>();
        cam1.path("events").forEach(e -> kinds.add(e.path("kind").asText()));
        assertThat(kinds).containsExactly("FALL", "ZONE_OVERCROWDED", "LINE_CROSSED");
        JsonNode newest = cam1.path("events").get(0);
        assertThat(newest.path("trackId").asLong()).isEqualTo(9);
        assertThat(newest.path("durationMs").asLong()).isEqualTo(1100);
        assertThat(newest.path("time").asLong()).isEqualTo(T0.plusMillis(600).toEpochMilli());
        assertThat(cam1.path("events").get(1).path("trackId").isNull()).isTrue();
        assertThat(cam1.path("events").get(2).path("direction").asInt()).isEqualTo(-1);
        assertThat(board.counters().activities()).isEqualTo(4);
        assertThat(board.counters().zoneCounts()).isEqualTo(3);
        assertThat(board.analytics()).containsOnlyKeys("cam1", "cam2");
    }

    @Test
    void badAnalyticsRecordsAreCountedAndSkippedAndTheNextOneStillShows() throws Exception {
        LiveBoard board = board(RULES);
        panels();
        board.onActivity(activity(" ", 1, "gate", ActivityKind.LINE_CROSSED, 1L), ACTIVITY, 41);
        board.onZoneCount(count("cam1", "door", -1, false, 1), COUNTS, 42);
        board.onUnreadable(COUNTS, 43, "cam1/door", LiveBoard.Source.ANALYTICS, "Unknown magic byte 0x7b");
        board.onActivity(activity("cam2", 2, "path", ActivityKind.LINE_CROSSED, 3L), ACTIVITY, 44);
        board.tick(partition -> 0);

        assertThat(board.counters().malformedAnalytics()).isEqualTo(3);
        assertThat(board.counters().malformedEvents()).isZero();
        assertThat(board.counters().activities()).isEqualTo(1);
        assertThat(board.counters().lastSkipReason()).contains("posestream.zone-counts-0@43", "magic byte");
        Map<String, JsonNode> panels = panels();
        assertThat(panels).containsOnlyKeys("cam2");
        assertThat(panels.get("cam2").path("events").get(0).path("rule").asText())
                .isEqualTo("path");
    }

    @Test
    void withoutRulesThereAreNoPanels() {
        LiveBoard board = new LiveBoard(
                new DashboardConfig(Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "http://x")),
                hub,
                System::currentTimeMillis);
        assertThat(board.analytics()).isEmpty();
    }

    @Test
    void aBadRulesFileStopsTheStartNamingTheSettingTheRuleAndTheField() throws Exception {
        String crossed = RULES.replace(
                "[[0.1, 0.5], [0.5, 0.5], [0.5, 0.9], [0.1, 0.9]]", "[[0.1, 0.5], [0.5, 0.9], [0.5, 0.5], [0.1, 0.9]]");
        assertThatThrownBy(() -> board(crossed))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.RULES_FILE)
                .hasMessageContaining("door")
                .hasMessageContaining("polygon");
        assertThatThrownBy(() -> new DashboardConfig(Map.of(
                        "bootstrap.servers",
                        "127.0.0.1:1",
                        "schema.registry.url",
                        "http://x",
                        DashboardConfig.RULES_FILE,
                        dir.resolve("missing.yaml").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DashboardConfig.RULES_FILE)
                .hasMessageContaining("does not exist");
    }
}
