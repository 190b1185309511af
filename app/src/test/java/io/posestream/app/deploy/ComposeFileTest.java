package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker-compose.yml as Debian's {@code docker-compose config} resolves it (anchors, merges, profiles, volumes),
 * then checked: the services the issue names, Kafka's image at the clients' version, the GPU reservation and its CPU
 * alternative, start ordering on health, health checks on the services' endpoint, named volumes, and every
 * {@code POSESTREAM_*} variable and flag a real option of the service's command.
 */
class ComposeFileTest {
    private static final Path ROOT = Repository.root();
    private static JsonNode config;
    private final ServiceCommands commands = new ServiceCommands();

    @BeforeAll
    static void resolve() throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(
                            "docker-compose",
                            "-f",
                            ROOT.resolve("docker-compose.yml").toString(),
                            "config")
                    .redirectErrorStream(false)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "docker-compose is not installed (Debian package docker-compose; run " + "scripts/setup.sh): "
                            + e.getMessage(),
                    e);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker-compose config: " + err).isZero();
        config = Kustomize.YAML.readTree(out);
    }

    private static JsonNode service(String name) {
        JsonNode service = config.path("services").path(name);
        assertThat(service.isObject()).as("service " + name).isTrue();
        return service;
    }

    @Test
    void theStackHasEveryServiceWithKafkaAtTheClientsVersion() {
        Set<String> services = new TreeSet<>();
        config.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services)
                .containsExactlyInAnyOrder(
                        "kafka",
                        "schema-registry",
                        "topics",
                        "camera",
                        "ingest",
                        "connect",
                        "inference",
                        "inference-cpu",
                        "tracker",
                        "dashboard");
        assertThat(service("kafka").path("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(service("kafka")
                        .path("environment")
                        .path("KAFKA_PROCESS_ROLES")
                        .asText())
                .isEqualTo("broker,controller");
        assertThat(service("schema-registry").path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        assertThat(service("camera").path("build").path("dockerfile").asText()).isEqualTo("deploy/camera/Dockerfile");
    }

    @Test
    void inferenceReservesAnNvidiaGpuAndHasACpuAlternative() {
        JsonNode gpu = service("inference");
        assertThat(gpu.path("profiles").toString()).isEqualTo("[\"gpu\"]");
        JsonNode device = gpu.path("deploy")
                .path("resources")
                .path("reservations")
                .path("devices")
                .get(0);
        assertThat(device.path("driver").asText()).isEqualTo("nvidia");
        assertThat(device.path("capabilities").toString()).contains("\"gpu\"");
        assertThat(gpu.path("build").path("dockerfile").asText()).isEqualTo("deploy/Dockerfile.gpu");

        JsonNode cpu = service("inference-cpu");
        assertThat(cpu.path("profiles").toString()).isEqualTo("[\"cpu\"]");
        assertThat(cpu.path("deploy").isMissingNode()).isTrue();
        assertThat(cpu.path("command")).isEqualTo(gpu.path("command"));
        for (JsonNode inference : List.of(gpu, cpu)) {
            assertThat(inference.path("volumes").toString()).contains("models:/models:ro");
        }
    }

    @Test
    void theBuildsNameDockerfilesThatExist() {
        config.path("services").forEach(service -> {
            if (service.has("build")) {
                assertThat(ROOT.resolve(service.path("build").path("dockerfile").asText()))
                        .isRegularFile();
            }
        });
    }

    @Test
    void theStackIsConsistent() {
        assertThat(problems(config, commands)).isEmpty();
    }

    @Test
    void aVariableOrFlagTheServiceDoesNotHaveFails() {
        JsonNode changed = config.deepCopy();
        ((ObjectNode) changed.path("services").path("ingest").path("environment")).put("POSESTREAM_FSP", "5");
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                        changed.path("services").path("tracker").path("command"))
                .add("--statedir=/tmp");
        ((ObjectNode) changed.path("services").path("ingest").path("depends_on").path("camera"))
                .put("condition", "service_started");
        List<String> problems = problems(changed, commands);
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo(
                                "ingest: environment variable POSESTREAM_FSP is not a setting of `posestream ingest`"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).isEqualTo("tracker: flag --statedir is not an option of `posestream track`"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("ingest: starts after camera on service_started"));
    }

    /** Every inconsistency in the resolved compose model, each starting with the service's name. */
    static List<String> problems(JsonNode config, ServiceCommands commands) {
        List<String> problems = new ArrayList<>();
        Set<String> volumes = new TreeSet<>();
        config.path("volumes").fieldNames().forEachRemaining(volumes::add);
        Set<String> usedVolumes = new TreeSet<>();
        config.path("services").properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            entry.getValue().path("depends_on").properties().forEach(dependency -> {
                String condition = dependency.getValue().path("condition").asText();
                if (condition.equals("service_healthy")) {
                    if (!config.path("services").path(dependency.getKey()).has("healthcheck")) {
                        problems.add(name + ": waits for " + dependency.getKey() + " to be healthy, which has no "
                                + "healthcheck");
                    }
                } else if (!condition.equals("service_completed_successfully")) {
                    problems.add(name + ": starts after " + dependency.getKey() + " on " + condition
                            + " rather than on health");
                }
            });
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.isTextual()
                        ? volume.asText().split(":")[0]
                        : volume.path("source").asText();
                if (!source.startsWith("/") && !source.startsWith(".")) {
                    usedVolumes.add(source);
                    if (!volumes.contains(source)) {
                        problems.add(name + ": mounts volume " + source + ", which is not declared");
                    }
                }
            }
            if (!service.path("image").asText().startsWith("posestream:")
                    && !service.path("image").asText().startsWith("posestream-gpu:")) {
                return;
            }
            List<String> args = new ArrayList<>();
            service.path("command").forEach(arg -> args.add(arg.asText()));
            List<String> path = ServiceCommands.commandPath(args);
            CommandSpec command = commands.find(path);
            if (command == null) {
                problems.add(name + ": runs `posestream " + String.join(" ", path) + "`, which does not exist");
                return;
            }
            String flags = ServiceCommands.checkFlags(command, args);
            if (flags != null) {
                problems.add(name + ": " + flags);
            }
            Map<String, String> env = new HashMap<>();
            service.path("environment")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            for (String variable : env.keySet()) {
                String bad = ServiceCommands.checkEnvironment(command, variable);
                if (bad != null) {
                    problems.add(name + ": " + bad);
                }
            }
            if (path.equals(List.of("topics"))) {
                return; // a one-shot job: no endpoint, no health check
            }
            boolean serves = ServiceCommands.keys(command).contains(ServiceCommands.METRICS_PORT);
            String probe = service.path("healthcheck").path("test").toString();
            if (!serves) {
                problems.add(name + ": health-checks /health/ready but `" + path.get(0) + "` has no --metrics-port");
            } else {
                String port = ServiceCommands.envOrDefault(command, env, ServiceCommands.METRICS_PORT);
                if (!probe.contains("localhost:" + port + "/health/ready")) {
                    problems.add(name + ": health check " + probe + " does not probe /health/ready on port " + port);
                }
            }
            if (!probe.contains("/health/ready")) {
                problems.add(name + ": no health check on /health/ready");
            }
        });
        Set<String> unused = new TreeSet<>(volumes);
        unused.removeAll(usedVolumes);
        if (!unused.isEmpty()) {
            problems.add("volumes declared but not mounted: " + unused);
        }
        for (String required : List.of("models", "tracker-state")) {
            if (!volumes.contains(required)) {
                problems.add("no named volume " + required);
            }
        }
        return problems;
    }
}
