package io.posestream.app.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code track} takes the cluster through the shared {@code ClusterOptions}: the service itself fails fast naming
 * what is missing, while its offline subcommands run without a cluster.
 */
class TrackCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theServiceNamesEachMissingClusterOption() {
        CliRun none = CliRun.of(Map.of(), "track");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err())
                .contains("Missing required options: '--bootstrap-servers=HOST:PORT[,...]', "
                        + "'--schema-registry-url=URL'")
                .contains("Usage: posestream track");

        CliRun noRegistry = CliRun.of(Map.of(), "track", "--bootstrap-servers", "b:9092");
        assertThat(noRegistry.exitCode()).isEqualTo(2);
        assertThat(noRegistry.err())
                .contains("Missing required option: '--schema-registry-url=URL'")
                .doesNotContain("'--bootstrap-servers");

        CliRun noBootstrap = CliRun.of(Map.of("POSESTREAM_SCHEMA_REGISTRY_URL", "http://r:8081"), "track");
        assertThat(noBootstrap.exitCode()).isEqualTo(2);
        assertThat(noBootstrap.err()).contains("Missing required option: '--bootstrap-servers=HOST:PORT[,...]'");
    }

    @Test
    void offlineSubcommandsNeedNoCluster() throws Exception {
        Path scene = tmp.resolve("scene");
        CliRun synth = CliRun.of(
                Map.of(), "track", "synth", "--scenario", "walking", "--seed", "1", "--out", scene.toString());
        assertThat(synth.exitCode()).as(synth.err()).isZero();
        assertThat(scene.resolve("detections.json")).isNotEmptyFile();

        Path pred = tmp.resolve("pred.json");
        CliRun replay = CliRun.of(
                Map.of(),
                "track",
                "replay",
                "--detections",
                scene.resolve("detections.json").toString(),
                "--out",
                pred.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Files.readString(pred)).contains("\"track_id\"");
    }

    @Test
    void helpShowsTheSharedClusterOptionsOnce() {
        CliRun help = CliRun.of(Map.of(), "track", "--help");
        assertThat(help.exitCode()).isZero();
        String out = help.out();
        // One option line each (the synopsis above lists them too), described as ClusterOptions describes them.
        assertThat(Pattern.compile("^\\s+--bootstrap-servers=", Pattern.MULTILINE)
                        .matcher(out)
                        .results()
                        .count())
                .isEqualTo(1);
        assertThat(out)
                .contains(
                        "posestream's or Confluent's",
                        "--schema-registry-user-info",
                        "--kafka",
                        "--config",
                        "--application-id");
    }
}
