package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import io.posestream.app.PosestreamCli;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ServiceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Each service command takes its settings the one way (flag over {@code POSESTREAM_*} environment over
 * the {@code --config} file over the default) and refuses a config file naming a key it does not have, through the
 * real {@link PosestreamCli#commandLine(ServiceSettings)}. Parsing only: nothing is started.
 */
class ServiceConfigPrecedenceTest {
    @TempDir
    Path tmp;

    /** The parsed leaf command of {@code args}, with {@code env} and the config file {@code args} or env name. */
    private static CommandSpec parse(Map<String, String> env, String... args) {
        CommandLine cli = PosestreamCli.commandLine(ServiceSettings.forArgs(args, env));
        CommandLine.ParseResult result = cli.parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }

    private Path file(String name, String text) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Object value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    private static String[] args(String command, Path config, String... more) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.add("--config");
        all.add(config.toString());
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void ingestFlagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path cameras = file("cameras.yaml", "- id: cam1\n  url: rtsp://camera:8554/cam1\n");
        Path config = file(
                "ingest.properties",
                "bootstrap-servers=file:9092\nschema-registry-url=http://file:8081\n"
                        + "cameras=" + cameras + "\nfps=2\nmax-width=640\njpeg-quality=70\nmetrics-port=9500\n"
                        + "kafka.security.protocol=SASL_SSL\nkafka.linger.ms=3\n"
                        + "schema-registry-truststore=/etc/posestream-tls/ca.crt\n");
        Map<String, String> env = Map.of(
                "POSESTREAM_JPEG_QUALITY",
                "60",
                "POSESTREAM_MAX_WIDTH",
                "320",
                "POSESTREAM_SCHEMA_REGISTRY_URL",
                "http://env:8081",
                "POSESTREAM_KAFKA_LINGER_MS",
                "7");

        CommandSpec ingest = parse(env, args("ingest", config, "--max-width", "160"));
        assertThat(value(ingest, "--max-width")).isEqualTo(160); // flag
        assertThat(value(ingest, "--jpeg-quality")).isEqualTo(60); // environment
        assertThat(value(ingest, "--fps")).isEqualTo(2.0); // file
        assertThat(value(ingest, "--cameras")).isEqualTo(cameras); // file
        assertThat(value(ingest, "--metrics-port")).isEqualTo(9500); // file
        assertThat(value(ingest, "--topic")).isEqualTo("posestream.frames"); // default
        assertThat(value(ingest, "--bootstrap-servers")).isEqualTo("file:9092");
        assertThat(value(ingest, "--schema-registry-url")).isEqualTo("http://env:8081");

        ClusterOptions cluster = (ClusterOptions) ingest.mixins().get("cluster").userObject();
        assertThat(cluster.clientConfig())
                .containsEntry("security.protocol", "SASL_SSL") // kafka.* from the file
                .containsEntry("linger.ms", "7") // POSESTREAM_KAFKA_* wins
                .containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("schema.registry.url", "http://env:8081")
                // The registry's private CA reaches the serde as Confluent's trust-store settings.
                .containsEntry("schema.registry.ssl.truststore.location", "/etc/posestream-tls/ca.crt")
                // Its format is read from the file (PEM text or a key store), not forced.
                .doesNotContainKey("schema.registry.ssl.truststore.type");
    }

    @Test
    void ingestRefusesAnUnknownKeyABadValueAndAMissingSetting() throws Exception {
        Path cameras = file("cameras.yaml", "- id: cam1\n  url: rtsp://camera:8554/cam1\n");
        Path typo = file(
                "typo.properties",
                "bootstrap-servers=b:9092\nschema-registry-url=http://r:8081\n" + "cameras=" + cameras + "\nfsp=5\n");
        CliRun unknown = CliRun.of(Map.of(), "ingest", "--config", typo.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err())
                .contains("unknown key 'fsp'")
                .contains("`posestream ingest`")
                .contains("fps");

        CliRun badValue = CliRun.of(
                Map.of("POSESTREAM_FPS", "fast"),
                "ingest",
                "--bootstrap-servers",
                "b:9092",
                "--schema-registry-url",
                "http://r:8081",
                "--cameras",
                cameras.toString());
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("--fps").contains("fast");

        CliRun missing = CliRun.of(
                Map.of(), "ingest", "--schema-registry-url", "http://r:8081", "--cameras", cameras.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--bootstrap-servers");

        CliRun noCameras = CliRun.of(
                Map.of(), "ingest", "--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081");
        assertThat(noCameras.exitCode()).isEqualTo(2);
        assertThat(noCameras.err()).contains("--cameras=FILE or --camera=ID=URL");
    }

    @Test
    void registryFlagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path config = file(
                "registry.properties",
                "bootstrap-servers=file:9092\nport=18081\nhost=0.0.0.0\n"
                        + "topic=_file_schemas\nmetrics-port=9401\nkafka.security.protocol=SASL_SSL\n"
                        + "kafka.sasl.mechanism=PLAIN\n");
        Map<String, String> env = new HashMap<>(Map.of(
                "POSESTREAM_CONFIG",
                config.toString(),
                "POSESTREAM_PORT",
                "28081",
                "POSESTREAM_KAFKA_SASL_MECHANISM",
                "SCRAM-SHA-512"));

        CommandSpec registry = parse(env, "registry", "--topic", "_flag_schemas");
        assertThat(value(registry, "--topic")).isEqualTo("_flag_schemas"); // flag
        assertThat(value(registry, "--port")).isEqualTo(28081); // environment
        assertThat(value(registry, "--host")).isEqualTo("0.0.0.0"); // file (POSESTREAM_CONFIG)
        assertThat(value(registry, "--bootstrap-servers")).isEqualTo("file:9092");
        assertThat(value(registry, "--metrics-port")).isEqualTo(9401);
        assertThat(ServiceSettings.kafkaPassthrough(registry))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");

        CommandSpec defaults = parse(Map.of(), "registry", "--bootstrap-servers", "b:9092");
        assertThat(value(defaults, "--port")).isEqualTo(8081);
        assertThat(value(defaults, "--host")).isEqualTo("127.0.0.1");
        assertThat(value(defaults, "--metrics-port")).isEqualTo(-1);
    }

    @Test
    void registryRefusesAnUnknownKeyABadValueAndAMissingSetting() throws Exception {
        Path typo = file("typo.properties", "bootstrap-servers=b:9092\nschema-registry-url=http://r:8081\n");
        CliRun unknown = CliRun.of(Map.of(), "registry", "--config", typo.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        // The registry is the registry: it has no schema-registry-url, and says so rather than ignoring it.
        assertThat(unknown.err()).contains("unknown key 'schema-registry-url'").contains("`posestream registry`");

        CliRun badValue = CliRun.of(Map.of("POSESTREAM_PORT", "eighty"), "registry", "--bootstrap-servers", "b:9092");
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("--port").contains("eighty");

        CliRun missing = CliRun.of(Map.of(), "registry");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--bootstrap-servers");
    }

    @ParameterizedTest
    @CsvSource({
        "track, --application-id, posestream-tracker",
        "dashboard, --bind, 127.0.0.1",
        "infer, --group-id, posestream-inference"
    })
    void trackDashboardAndInferTakeSettingsTheSameWay(String service, String option, String defaultValue)
            throws Exception {
        String key = option.substring(2);
        Path config = file(
                service + ".properties",
                "bootstrap-servers=file:9092\nschema-registry-url=http://file:8081\n" + key
                        + "=from-file\nmetrics-port=9405\n");
        Map<String, String> env =
                Map.of("POSESTREAM_CONFIG", config.toString(), "POSESTREAM_SCHEMA_REGISTRY_URL", "http://env:8081");

        CommandSpec fromFile = parse(env, service);
        assertThat(value(fromFile, option)).isEqualTo("from-file"); // file
        assertThat(value(fromFile, "--schema-registry-url")).isEqualTo("http://env:8081"); // environment
        assertThat(value(fromFile, "--metrics-port")).isEqualTo(9405);
        assertThat(value(parse(env, service, option, "from-flag"), option)).isEqualTo("from-flag"); // flag
        assertThat(value(parse(Map.of(), service), option)).isEqualTo(defaultValue); // default

        Path typo = file(service + "-typo.properties", "bootstrap-servers=b:9092\n" + key + "x=1\n");
        CliRun unknown = CliRun.of(Map.of(), service, "--config", typo.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown key '" + key + "x'").contains("`posestream " + service + "`");

        CliRun badValue =
                CliRun.of(Map.of("POSESTREAM_METRICS_PORT", "lots"), service, "--bootstrap-servers", "b:9092");
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("--metrics-port").contains("lots");

        CliRun missing = CliRun.of(Map.of(), service, "--schema-registry-url", "http://r:8081", "--metrics-port", "-1");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--bootstrap-servers");
    }
}
