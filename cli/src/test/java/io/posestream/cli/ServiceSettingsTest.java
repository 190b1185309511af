package io.posestream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags, then environment, then config file, then default; unknown keys and missing settings named. */
class ServiceSettingsTest {
    @TempDir
    Path tmp;

    @Command(name = "svc")
    static final class Service implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--max-batch", defaultValue = "8")
        int maxBatch;

        Map<String, Object> seenConfig;

        @Override
        public Integer call() {
            seenConfig = cluster.clientConfig();
            return 0;
        }
    }

    private record Run(int exitCode, Service service, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        ServiceSettings settings = ServiceSettings.forArgs(args, env);
        Service service = new Service();
        CommandLine cli = new CommandLine(service);
        settings.applyTo(cli);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, service, err.toString());
    }

    private Path file(String text) throws Exception {
        Path file = tmp.resolve("svc.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
        Path file = file("bootstrap-servers=file:9092\nschema-registry-url=http://file:8081\nmax-batch=4\n");
        Map<String, String> env =
                Map.of("POSESTREAM_CONFIG", file.toString(), "POSESTREAM_SCHEMA_REGISTRY_URL", "http://env:8081");

        Run fileAndEnv = run(env);
        assertThat(fileAndEnv.exitCode()).isZero();
        assertThat(fileAndEnv.service().cluster.bootstrapServers()).isEqualTo("file:9092");
        assertThat(fileAndEnv.service().cluster.schemaRegistryUrl()).isEqualTo("http://env:8081");
        assertThat(fileAndEnv.service().maxBatch).isEqualTo(4);

        Run withFlag = run(env, "--schema-registry-url", "http://flag:8081", "--max-batch", "16");
        assertThat(withFlag.service().cluster.schemaRegistryUrl()).isEqualTo("http://flag:8081");
        assertThat(withFlag.service().maxBatch).isEqualTo(16);

        Run defaults = run(Map.of(), "--bootstrap-servers", "b:1", "--schema-registry-url", "http://r");
        assertThat(defaults.service().maxBatch).isEqualTo(8);
    }

    @Test
    void kafkaClientSettingsPassThroughFromFileEnvironmentAndFlags() throws Exception {
        Path file = file("bootstrap-servers=b:9092\nschema-registry-url=http://r:8081\n"
                + "kafka.security.protocol=SASL_SSL\nkafka.sasl.mechanism=PLAIN\nkafka.linger.ms=5\n");
        Run run = run(
                Map.of("POSESTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                "--config",
                file.toString(),
                "--kafka",
                "linger.ms=1",
                "--schema-registry-user-info",
                "u:secret");
        assertThat(run.exitCode()).isZero();
        assertThat(run.service().seenConfig)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("linger.ms", "1")
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("schema.registry.url", "http://r:8081")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "u:secret");
    }

    @Test
    void anUnknownConfigFileKeyFailsTheStartNamingTheKey() throws Exception {
        Path file = file("bootstrap-servers=b:9092\nschema-registry-url=http://r\nmax-bacth=4\n");
        Run run = run(Map.of(), "--config", file.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("unknown key 'max-bacth'").contains("max-batch");
    }

    @Test
    void aMissingSettingFailsNamingTheOptionAndAnInvalidOneNamesItsValue() throws Exception {
        Run missing = run(Map.of(), "--schema-registry-url", "http://r");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("--bootstrap-servers");

        Run invalid = run(
                Map.of("POSESTREAM_MAX_BATCH", "many"),
                "--bootstrap-servers",
                "b:1",
                "--schema-registry-url",
                "http://r");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.err()).contains("--max-batch").contains("many");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertThatThrownBy(() -> ServiceSettings.forArgs(
                        new String[] {"--config", tmp.resolve("no.properties").toString()}, Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("no.properties does not exist");
    }
}
