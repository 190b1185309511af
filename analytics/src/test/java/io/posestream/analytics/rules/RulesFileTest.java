package io.posestream.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesFileTest {
    private static final String GOOD = """
            cameras: [cam1, cam2]
            rules:
              - name: doorway
                camera: cam1
                type: zone
                units: normalized
                polygon: [[0.1, 0.5], [0.5, 0.5], [0.5, 0.9], [0.1, 0.9]]
                overcrowding: 3
                dwell-seconds: 2.5
              - {name: crossing, camera: cam1, type: line, line: [[300, 100], [300, 500]]}
              - {name: falls, camera: cam1, type: fall, down-seconds: 0.5}
              - {name: hands, camera: cam2, type: hands-raised}
            """;

    @Test
    void readsEveryKindOfRuleWithItsSettingsAndDefaults() {
        AnalyticsRules rules = RulesFile.parse(GOOD, "good.yaml");
        CameraRules cam1 = rules.forCamera("cam1");
        assertThat(cam1.rules()).extracting(Rule::name).containsExactly("doorway", "crossing", "falls");
        ZoneRule zone = cam1.of(ZoneRule.class).get(0);
        assertThat(zone.normalized()).isTrue();
        assertThat(zone.overcrowding()).isEqualTo(3);
        assertThat(zone.dwellMs()).isEqualTo(2500);
        assertThat(zone.inPixels(1000, 500).points().get(0)).isEqualTo(new Point(100, 250));
        LineRule line = cam1.of(LineRule.class).get(0);
        assertThat(line.normalized()).isFalse();
        assertThat(line.margin()).isEqualTo(LineRule.DEFAULT_MARGIN_PIXELS);
        FallRule fall = cam1.of(FallRule.class).get(0);
        assertThat(fall.downMs()).isEqualTo(500);
        assertThat(fall.lyingMinDegrees()).isEqualTo(FallRule.LYING_MIN_DEGREES);
        assertThat(rules.forCamera("cam2").rules()).containsExactly(new HandsRaisedRule("hands"));
        assertThat(rules.forCamera("elsewhere").rules()).isEmpty();
        assertThat(rules.ruleCount()).isEqualTo(4);
    }

    @Test
    void jsonIsReadToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.json");
        Files.writeString(
                file,
                "{\"cameras\": [\"c\"], \"rules\": [{\"name\": \"l\", \"camera\": \"c\", \"type\": \"line\","
                        + " \"line\": [[0, 0], [10, 10]], \"margin\": 2}]}");
        assertThat(RulesFile.load(file).forCamera("c").of(LineRule.class).get(0).margin())
                .isEqualTo(2);
    }

    @Test
    void selfIntersectingPolygonIsRefusedNamingTheRuleAndField() {
        String bowtie = """
                cameras: [cam1]
                rules:
                  - {name: bowtie, camera: cam1, type: zone, polygon: [[0, 0], [100, 100], [100, 0], [0, 100]]}
                """;
        assertThatThrownBy(() -> RulesFile.parse(bowtie, "r.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("r.yaml")
                .hasMessageContaining("rule 'bowtie' (rules[0])")
                .hasMessageContaining("field 'polygon'")
                .hasMessageContaining("self-intersecting");
    }

    @Test
    void unknownCameraIsRefusedNamingTheRuleAndField() {
        String text = """
                cameras: [cam1]
                rules:
                  - {name: door, camera: cam9, type: hands-raised}
                """;
        assertThatThrownBy(() -> RulesFile.parse(text, "r.yaml"))
                .hasMessageContaining("rule 'door'")
                .hasMessageContaining("field 'camera'")
                .hasMessageContaining("unknown camera 'cam9'");
    }

    @Test
    void missingFieldIsRefusedNamingTheRuleAndField() {
        String text = """
                cameras: [cam1]
                rules:
                  - {name: crossing, camera: cam1, type: line}
                """;
        assertThatThrownBy(() -> RulesFile.parse(text, "r.yaml"))
                .hasMessageContaining("rule 'crossing'")
                .hasMessageContaining("missing field 'line'");
        assertThatThrownBy(() -> RulesFile.parse("cameras: [c]\nrules:\n  - {camera: c, type: fall}\n", "r.yaml"))
                .hasMessageContaining("rules[0]")
                .hasMessageContaining("missing field 'name'");
    }

    @Test
    void otherMistakesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: z, camera: c, type: zone, polygon: [[0,0],[1,1]]}\n", "r"))
                .hasMessageContaining("at least 3 points");
        assertThatThrownBy(() -> RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: z, camera: c, type: zone, units: normalized,"
                                + " polygon: [[0,0],[2,0],[0,1]]}\n",
                        "r"))
                .hasMessageContaining("point 1")
                .hasMessageContaining("outside the frame");
        assertThatThrownBy(() -> RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: l, camera: c, type: line, line: [[0,0],[1,1]], colour: red}\n",
                        "r"))
                .hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: a, camera: c, type: fall}\n  - {name: a, camera: c, type: fall}\n",
                        "r"))
                .hasMessageContaining("rule 'a' (rules[1])")
                .hasMessageContaining("field 'name'");
        assertThatThrownBy(() -> RulesFile.parse(
                        "cameras: [c]\nrules:\n  - {name: a, camera: c, type: fall}\n  - {name: b, camera: c, type: fall}\n",
                        "r"))
                .hasMessageContaining("already has a fall rule");
        assertThatThrownBy(() -> RulesFile.parse("cameras: [c]\nrules:\n  - {name: a, camera: c, type: circle}\n", "r"))
                .hasMessageContaining("field 'type'");
        assertThatThrownBy(() -> RulesFile.parse("rules: []\n", "r")).hasMessageContaining("'cameras'");
        assertThatThrownBy(() -> RulesFile.parse("cameras: [c\n", "r")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> RulesFile.load(Path.of("/nonexistent/rules.yaml")))
                .hasMessageContaining("does not exist");
    }
}
