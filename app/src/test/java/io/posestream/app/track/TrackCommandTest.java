package io.posestream.app.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.PosestreamCli;
import io.posestream.app.config.ServiceSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code track} takes the cluster through the shared {@code ClusterOptions}: the service itself fails fast naming
 * what is missing, while its offline subcommands run without a cluster.
 */
class TrackCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(Map<String, String> env, String... args) {
        CommandLine cli = PosestreamCli.commandLine(ServiceSettings.forArgs(args, env));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theServiceNamesEachMissingClusterOption() {
        Run none = cli(Map.of(), "track");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required options: '--bootstrap-servers=HOST:PORT[,...]', "
                + "'--schema-registry-url=URL'").contains("Usage: posestream track");

        Run noRegistry = cli(Map.of(), "track", "--bootstrap-servers", "b:9092");
        assertThat(noRegistry.exitCode()).isEqualTo(2);
        assertThat(noRegistry.err()).contains("Missing required option: '--schema-registry-url=URL'")
                .doesNotContain("'--bootstrap-servers");

        Run noBootstrap = cli(Map.of("POSESTREAM_SCHEMA_REGISTRY_URL", "http://r:8081"), "track");
        assertThat(noBootstrap.exitCode()).isEqualTo(2);
        assertThat(noBootstrap.err()).contains("Missing required option: '--bootstrap-servers=HOST:PORT[,...]'");
    }

    @Test
    void offlineSubcommandsNeedNoCluster() throws Exception {
        Path scene = tmp.resolve("scene");
        Run synth = cli(Map.of(), "track", "synth", "--scenario", "walking", "--seed", "1", "--out", scene.toString());
        assertThat(synth.exitCode()).as(synth.err()).isZero();
        assertThat(scene.resolve("detections.json")).isNotEmptyFile();

        Path pred = tmp.resolve("pred.json");
        Run replay = cli(Map.of(), "track", "replay", "--detections", scene.resolve("detections.json").toString(),
                "--out", pred.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Files.readString(pred)).contains("\"track_id\"");
    }

    @Test
    void helpShowsTheSharedClusterOptionsOnce() {
        Run help = cli(Map.of(), "track", "--help");
        assertThat(help.exitCode()).isZero();
        String out = help.out();
        // One option line each (the synopsis above lists them too), described as ClusterOptions describes them.
        assertThat(Pattern.compile("^\\s+--bootstrap-servers=", Pattern.MULTILINE).matcher(out).results().count())
                .isEqualTo(1);
        assertThat(out).contains("posestream's or Confluent's", "--schema-registry-user-info", "--kafka", "--config",
                "--application-id");
    }
}
