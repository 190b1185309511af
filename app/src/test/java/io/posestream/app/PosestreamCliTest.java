package io.posestream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** The CLI as an operator uses it, against real embedded servers. */
class PosestreamCliTest {

    @Test
    void helpListsEveryCommandAndEachCommandHasHelp() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        for (String command : new String[] {"demo", "broker", "registry", "topics", "model", "ingest", "camera",
                "dashboard", "bench"}) {
            assertThat(help.out()).contains(command);
            CliRun commandHelp = CliRun.of(command, "--help");
            assertThat(commandHelp.exitCode()).as(command + " --help").isZero();
            assertThat(commandHelp.out()).startsWith("Usage: posestream " + command);
        }
        assertThat(CliRun.of("bench", "serde", "--help").out()).contains("--frames");
    }

    @Test
    void missingRequiredSettingIsNamed() {
        CliRun run = CliRun.of("registry");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bootstrap-servers");
    }

    @Test
    void demoRunsCameraIngestAndDashboardOnTheEmbeddedDefault() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = CliRun.of("demo", "--duration", "20", "--status-every", "2", "--dashboard-port", "0",
                    "--models-dir", "target/demo-models").exitCode();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).containsPattern("Sample cameras +rtsp://127\\.0\\.0\\.1:\\d+/cam1")
                .containsPattern("Dashboard +http://127\\.0\\.0\\.1:\\d+/")
                .contains("Tracker          posestream.poses -> posestream.pose-events")
                .contains("Demo stopped.");
        // Frames flowed from the RTSP camera through ingest and Kafka to the dashboard.
        Matcher status = Pattern.compile("cam1 streaming published=(\\d+) in=([0-9.]+)fps").matcher(out);
        long published = 0;
        double fpsIn = 0;
        while (status.find()) {
            published = Long.parseLong(status.group(1));
            fpsIn = Math.max(fpsIn, Double.parseDouble(status.group(2)));
        }
        assertThat(published).as(out).isGreaterThan(10);
        assertThat(fpsIn).as(out).isGreaterThan(1.0);
        assertThat(java.nio.file.Path.of("target/demo-models/movenet-thunder/saved_model.pb")).exists();
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
                assertThat(admin.describeTopics(Set.of(Topics.FRAMES)).allTopicNames().get().get(Topics.FRAMES)
                        .partitions()).hasSize(2);
            }

            registry = new Thread(() -> CliRun.of("registry", "--bootstrap-servers", bootstrap, "--port", "0"));
            registry.start();
            String url = awaitLine(captured, Pattern.compile("schema.registry.url=(\\S+)"));
            int id = SchemaRegistryClient.forUrl(url).register("cli-test-value",
                    SchemaBuilder.record("CliTest").fields().requiredString("name").endRecord());
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
