package io.posestream.app.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posestream connect refuses to start without what it needs, naming it, before touching Kafka. */
class ConnectCommandTest {
    @TempDir
    Path temp;

    @Test
    void aPluginPathWithoutThePluginIsRefusedNamingTheOption() {
        CliRun run = CliRun.of(
                "connect",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--schema-registry-url",
                "http://127.0.0.1:1",
                "--plugin-path",
                temp.toString(),
                "--metrics-port",
                "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--plugin-path " + temp + " holds no posestream-connect/lib");
    }

    @Test
    void theDefaultPluginPathIsWhereTheBuildUnpacksThePlugin() {
        assertThat(ConnectCommand.defaultPluginPath()
                        .resolve("posestream-connect")
                        .resolve("lib"))
                .isDirectory();
    }

    @Test
    void aConnectorFileWithoutAClassIsRefusedNamingTheFile() throws Exception {
        Path file = temp.resolve("cameras.properties");
        Files.writeString(file, "name=cameras\ncameras=a\n");
        CliRun run = CliRun.of(
                "connect",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--schema-registry-url",
                "http://127.0.0.1:1",
                "--connector",
                file.toString(),
                "--metrics-port",
                "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Connector file " + file + " has no connector.class");
    }

    @Test
    void theRegistryOfTheClusterIsTheDefaultOfAConnectorFile() throws Exception {
        Path file = temp.resolve("cameras.json");
        Files.writeString(
                file,
                "{\"name\": \"cameras\", \"config\": {\"connector.class\": \"io.posestream.connect.RtspSourceConnector\","
                        + " \"cameras\": \"a\", \"tasks.max\": 2}}");
        ConnectorFile connector =
                ConnectorFile.read(file).withDefaults(java.util.Map.of("schema.registry.url", "http://registry:8081"));
        assertThat(connector.name()).isEqualTo("cameras");
        assertThat(connector.config())
                .containsEntry("tasks.max", "2")
                .containsEntry("schema.registry.url", "http://registry:8081")
                .doesNotContainKey("name");
    }
}
