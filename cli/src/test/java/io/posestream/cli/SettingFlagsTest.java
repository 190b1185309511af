package io.posestream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Flags whose type, default, range and help come from a ConfigDef, in the one settings order. */
class SettingFlagsTest {
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("svc.batch.frames", Type.INT, 8, Range.atLeast(1), Importance.HIGH, "Frames per batch.")
            .define("svc.flip", Type.BOOLEAN, false, Importance.LOW, "Mirror the crops too.")
            .define("svc.model", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Model directory.");

    static final SettingFlags FLAGS = SettingFlags.of(DEFINITION)
            .flag("--batch-frames", "svc.batch.frames")
            .flag("--flip", "svc.flip")
            .flag("--model", "svc.model");

    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Command(name = "svc", mixinStandardHelpOptions = true, modelTransformer = Flags.class)
    static final class Service implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka; // brings --config

        @Mixin
        SettingOverrides overrides;

        Map<String, Object> values;
        Map<String, Object> layered;

        @Override
        public Integer call() {
            values = FLAGS.values(spec);
            layered = FLAGS.settings(spec, Map.of("bootstrap.servers", "base:9092", "svc.batch.frames", 2), overrides);
            return 0;
        }
    }

    @TempDir
    Path tmp;

    private record Run(int exitCode, Map<String, Object> values, Map<String, Object> layered, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        Service service = new Service();
        CommandLine cli = new CommandLine(service);
        ServiceSettings.forArgs(args, env).applyTo(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, service.values, service.layered, out.toString(), err.toString());
    }

    @Test
    void settingsLayerTheBaseThenTheFlagsThenTheOverrides() {
        Run run = run(Map.of(), "--model", "/m", "--setting", "svc.model=/override", "--setting", "linger.ms=5");

        assertThat(run.exitCode()).isZero();
        assertThat(run.layered())
                .containsEntry("bootstrap.servers", "base:9092") // only the base has it
                .containsEntry("svc.batch.frames", 8) // the flag's declared default wins over the base
                .containsEntry("svc.model", "/override") // --setting wins over the flag
                .containsEntry("linger.ms", "5");
    }

    @Test
    void withNothingGivenTheDeclaredDefaultsAreTheValues() {
        Run run = run(Map.of());

        assertThat(run.exitCode()).isZero();
        assertThat(run.values()).containsEntry("svc.batch.frames", 8).containsEntry("svc.flip", false);
        assertThat(run.values()).doesNotContainKey("svc.model");
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Path file = tmp.resolve("svc.properties");
        Files.writeString(file, "batch-frames=2\nmodel=/from/file\n");

        Run fromFile = run(Map.of(), "--config", file.toString());
        Run fromEnv = run(Map.of("POSESTREAM_BATCH_FRAMES", "3"), "--config", file.toString());
        Run fromFlag = run(Map.of("POSESTREAM_BATCH_FRAMES", "3"), "--config", file.toString(), "--batch-frames", "4");

        assertThat(fromFile.values()).containsEntry("svc.batch.frames", 2).containsEntry("svc.model", "/from/file");
        assertThat(fromEnv.values()).containsEntry("svc.batch.frames", 3);
        assertThat(fromFlag.values()).containsEntry("svc.batch.frames", 4);
    }

    @Test
    void aBooleanFlagAloneTurnsTheSettingOn() {
        assertThat(run(Map.of(), "--flip").values()).containsEntry("svc.flip", true);
        assertThat(run(Map.of(), "--flip=false").values()).containsEntry("svc.flip", false);
    }

    @Test
    void aValueOutsideTheDeclaredRangeIsRefusedNamingTheFlagAndTheSetting() {
        Run run = run(Map.of(), "--batch-frames", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("Invalid value for option '--batch-frames': 0")
                .contains("svc.batch.frames")
                .contains("at least 1");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedByTheParser() {
        Run run = run(Map.of(), "--batch-frames", "many");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--batch-frames").contains("many");
    }

    @Test
    void theHelpShowsTheDeclaredDocDefaultAndSetting() {
        Run run = run(Map.of(), "--help");

        assertThat(run.out().replaceAll("\\s+", " "))
                .contains("Frames per batch.")
                .contains("Valid: [1,...]. (default: 8; setting svc.batch.frames)")
                .contains("Model directory. (setting svc.model)");
    }

    @Test
    void aFlagMustNameADeclaredSetting() {
        assertThatThrownBy(() -> SettingFlags.of(DEFINITION).flag("--frames", "svc.frames"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("svc.frames");
    }
}
