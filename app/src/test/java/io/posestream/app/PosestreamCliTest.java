package io.posestream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as an operator uses it, against real embedded servers. */
class PosestreamCliTest {

    @Test
    void helpListsEveryCommandAndEachCommandHasHelp() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        for (String command : new String[] {
            "demo",
            "broker",
            "registry",
            "topics",
            "model",
            "ingest",
            "camera",
            "infer",
            "track",
            "analyze",
            "dashboard",
            "bench"
        }) {
            assertThat(help.out()).contains(command);
            CliRun commandHelp = CliRun.of(command, "--help");
            assertThat(commandHelp.exitCode()).as(command + " --help").isZero();
            assertThat(commandHelp.out()).startsWith("Usage: posestream " + command);
        }
        assertThat(CliRun.of("bench", "serde", "--help").out()).contains("--frames");
    }

    @Test
    void demoRefusesABadRulesFileBeforeStartingAnything(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(
                tmp.resolve("bad.yaml"),
                "cameras: [cam1]\nrules:\n  - {name: door, camera: cam1, type: zone, polygon: [[0, 0], [10, 0]]}\n");
        CliRun run = CliRun.of(
                "demo",
                "--rules",
                bad.toString(),
                "--models-dir",
                tmp.resolve("models").toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(bad.toString(), "rule 'door'", "polygon");
        assertThat(tmp.resolve("models"))
                .as("nothing started, no model prepared")
                .doesNotExist();

        Path elsewhere = Files.writeString(
                tmp.resolve("elsewhere.yaml"),
                "cameras: [lobby]\nrules:\n  - {name: hands, camera: lobby, type: hands-raised}\n");
        CliRun unknown = CliRun.of("demo", "--rules", elsewhere.toString(), "--cameras", "2");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("[lobby]", "[cam1, cam2]");
    }

    @Test
    void missingRequiredSettingIsNamed() {
        CliRun run = CliRun.of("registry");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bootstrap-servers");
    }

    @Test
    void brokerAndRegistryCommandsServeUntilStopped() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Thread broker = new Thread(() -> CliRun.of("broker", "--port", "0", "--partitions", "2"));
        Thread registry = null;
        try {
            broker.start();
            String bootstrap = awaitLine(captured, Pattern.compile("bootstrap.servers=(\\S+)"));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains(Topics.FRAMES, Topics.POSES, Topics.POSE_EVENTS, Topics.dlq(Topics.FRAMES));
                assertThat(admin.describeTopics(Set.of(Topics.FRAMES))
                                .allTopicNames()
                                .get()
                                .get(Topics.FRAMES)
                                .partitions())
                        .hasSize(2);
                // The analytics' topics too, the counts compacted (the latest count per zone stays).
                assertThat(topics).contains(Topics.ACTIVITY_EVENTS, Topics.ZONE_COUNTS);
                ConfigResource counts = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ZONE_COUNTS);
                assertThat(admin.describeConfigs(Set.of(counts))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(counts)
                                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                                .value())
                        .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            // The operator's `topics` (the compose stack's topics job) asks for the same topics, analytics' included.
            int before = captured.size();
            assertThat(CliRun.of("topics", "--bootstrap-servers", bootstrap, "--partitions", "2")
                            .exitCode())
                    .isZero();
            assertThat(captured.toString(StandardCharsets.UTF_8)
                            .substring(before)
                            .lines())
                    .contains(Topics.FRAMES, Topics.POSE_EVENTS, Topics.ACTIVITY_EVENTS, Topics.ZONE_COUNTS);

            registry = new Thread(() -> CliRun.of("registry", "--bootstrap-servers", bootstrap, "--port", "0"));
            registry.start();
            String url = awaitLine(captured, Pattern.compile("schema.registry.url=(\\S+)"));
            int id = SchemaRegistryClient.forUrl(url)
                    .register(
                            "cli-test-value",
                            SchemaBuilder.record("CliTest")
                                    .fields()
                                    .requiredString("name")
                                    .endRecord());
            assertThat(id).isPositive();
        } finally {
            System.setOut(original);
            if (registry != null) {
                registry.interrupt();
                registry.join(30_000);
            }
            broker.interrupt();
            broker.join(30_000);
        }
        assertThat(broker.isAlive()).as("broker command stopped").isFalse();
    }

    private static String awaitLine(ByteArrayOutputStream captured, Pattern pattern) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher matcher = pattern.matcher(captured.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No line matching " + pattern + " in: " + captured);
    }
}
