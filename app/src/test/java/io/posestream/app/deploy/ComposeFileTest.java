package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.app.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docker-compose.yml as the tools resolve it, then checked. Debian's {@code docker-compose config} (Compose v1)
 * resolves anchors, merges, profiles and volumes; the file as written is validated against the Compose
 * Specification's JSON schema (what Compose v2 validates); and Compose v2's profile rule (services of inactive profiles
 * are left out) is applied for every choice of profile, so a service never waits for one that is not there. Checked:
 * the services the issue names, Kafka's image at the clients' version and a listener for clients on the host, the GPU
 * reservation and its CPU alternative, start ordering on health, health checks on the services' endpoint, named
 * volumes, memory limits that leave native memory room, and every {@code POSESTREAM_*} variable and flag a real option
 * of the service's command.
 */
class ComposeFileTest {
    private static final Path ROOT = Repository.root();
    /** Compose v2 runs the services without a profile plus those of the profiles named on the command line. */
    private static final List<List<String>> PROFILE_CHOICES =
            List.of(List.of(), List.of("cpu"), List.of("gpu"), List.of("cpu", "gpu"));

    private static JsonNode config;
    private final ServiceCommands commands = new ServiceCommands();

    @BeforeAll
    static void resolve() {
        Path compose = Tools.require("docker-compose", "Debian package docker-compose; run scripts/setup.sh");
        Tools.Result result = Tools.run(
                List.of(
                        compose.toString(),
                        "-f",
                        ROOT.resolve("docker-compose.yml").toString(),
                        "config"),
                null,
                null);
        assertThat(result.exitCode())
                .as("docker-compose config: " + result.err())
                .isZero();
        try {
            config = Kustomize.YAML.readTree(result.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file as written, YAML merge keys resolved (as Compose v2's loader does before validating). */
    private static JsonNode asWritten() throws IOException {
        Object yaml = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return JSON.valueToTree(yaml);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The model Compose v2 runs with {@code profiles} active: services of other profiles left out. */
    static JsonNode withProfiles(JsonNode model, List<String> profiles) {
        ObjectNode active = model.deepCopy();
        ObjectNode services = (ObjectNode) active.path("services");
        List<String> inactive = new ArrayList<>();
        services.properties().forEach(entry -> {
            JsonNode own = entry.getValue().path("profiles");
            boolean on = own.isEmpty();
            for (JsonNode profile : own) {
                on |= profiles.contains(profile.asText());
            }
            if (!on) {
                inactive.add(entry.getKey());
            }
        });
        services.remove(inactive);
        return active;
    }

    private static JsonNode service(String name) {
        JsonNode service = config.path("services").path(name);
        assertThat(service.isObject()).as("service " + name).isTrue();
        return service;
    }

    private static Set<String> serviceNames(JsonNode model) {
        Set<String> services = new TreeSet<>();
        model.path("services").fieldNames().forEachRemaining(services::add);
        return services;
    }

    @Test
    void theStackHasEveryServiceWithKafkaAtTheClientsVersionUnderEveryProfileChoice() {
        Set<String> always =
                Set.of("kafka", "schema-registry", "topics", "camera", "ingest", "tracker", "analytics", "dashboard");
        assertThat(serviceNames(withProfiles(config, List.of()))).isEqualTo(always);
        assertThat(serviceNames(withProfiles(config, List.of("cpu"))))
                .containsAll(always)
                .contains("inference-cpu")
                .doesNotContain("inference");
        assertThat(serviceNames(withProfiles(config, List.of("gpu"))))
                .containsAll(always)
                .contains("inference")
                .doesNotContain("inference-cpu", "connect");
        // Ingest at scale: a Kafka Connect worker with the RTSP source connector, beside the services.
        assertThat(serviceNames(withProfiles(config, List.of("gpu", "connect"))))
                .containsAll(always)
                .contains("inference", "connect");
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
    void theFileAsWrittenIsValidComposeAndAnUnknownKeyIsNamed() throws IOException {
        JsonNode written = asWritten();
        assertThat(Schemas.problems(List.of(), written)).isEmpty();
        ObjectNode ingest = (ObjectNode) written.path("services").path("ingest");
        ingest.put("mem_limt", "1g");
        assertThat(Schemas.problems(List.of(), written))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("compose /services/ingest: must NOT have additional properties")
                        .contains("mem_limt"));
    }

    @Test
    void kafkaAdvertisesAListenerThatClientsOnTheHostCanReach() {
        JsonNode env = service("kafka").path("environment");
        Map<String, String> listeners = listeners(env.path("KAFKA_LISTENERS").asText());
        Map<String, String> advertised =
                listeners(env.path("KAFKA_ADVERTISED_LISTENERS").asText());
        assertThat(advertised).containsEntry("PLAINTEXT_HOST", "localhost:9092");
        assertThat(env.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).contains("PLAINTEXT_HOST:PLAINTEXT");
        String hostListenerPort = listeners.get("PLAINTEXT_HOST").split(":")[1];
        assertThat(service("kafka").path("ports").toString()).contains("127.0.0.1:9092:" + hostListenerPort + "/tcp");
        // Clients in the stack use the listener that advertises the service name.
        String internal =
                advertised.get(env.path("KAFKA_INTER_BROKER_LISTENER_NAME").asText());
        assertThat(internal).isEqualTo("kafka:9092");
        for (String name : List.of("ingest", "tracker", "analytics", "dashboard", "inference", "inference-cpu")) {
            assertThat(service(name)
                            .path("environment")
                            .path("POSESTREAM_BOOTSTRAP_SERVERS")
                            .asText())
                    .isEqualTo(internal);
        }
    }

    private static Map<String, String> listeners(String list) {
        Map<String, String> byName = new HashMap<>();
        for (String listener : list.split(",")) {
            String[] parts = listener.split("://", 2);
            byName.put(parts[0], parts[1]);
        }
        return byName;
    }

    @Test
    void theAnalyticsAndTheDashboardReadOneRulesFileForTheStacksCamerasAndTheTopicsJobCreatesItsTopics()
            throws IOException {
        JsonNode analytics = service("analytics");
        assertThat(analytics.path("command").get(0).asText()).isEqualTo("analyze");
        assertThat(analytics.path("healthcheck").path("test").toString()).contains("/health/ready");
        // Its Streams state on a named volume of its own, as the tracker's.
        String stateDir =
                analytics.path("environment").path("POSESTREAM_STATE_DIR").asText();
        assertThat(mountedSource(analytics, stateDir)).isEqualTo("analytics-state");
        assertThat(analytics
                        .path("environment")
                        .path("POSESTREAM_APPLICATION_ID")
                        .asText())
                .isNotEqualTo(service("tracker")
                        .path("environment")
                        .path("POSESTREAM_APPLICATION_ID")
                        .asText());
        Set<Path> rulesFiles = new TreeSet<>();
        for (String name : List.of("analytics", "dashboard")) {
            String rules =
                    service(name).path("environment").path("POSESTREAM_RULES").asText(null);
            assertThat(rules).as(name + " POSESTREAM_RULES").isNotNull();
            String source = mountedSource(service(name), rules);
            assertThat(source).as(name + " mounts " + rules).isNotNull();
            rulesFiles.add(Path.of(source));
        }
        assertThat(rulesFiles).hasSize(1);
        // The file loads with the analytics' own checks, for cameras the stack's ingest reads.
        AnalyticsRules rules = RulesFile.load(rulesFiles.iterator().next());
        assertThat(rules.ruleCount()).isPositive();
        String cameras =
                service("ingest").path("environment").path("POSESTREAM_CAMERAS").asText();
        Set<String> ids = new TreeSet<>();
        for (JsonNode camera : Kustomize.YAML.readTree(
                Path.of(mountedSource(service("ingest"), cameras)).toFile())) {
            ids.add(camera.path("id").asText());
        }
        assertThat(ids).containsAll(rules.cameras().keySet());

        // The one-shot job runs `posestream topics`, which creates the analytics' topics beside the pipeline's.
        assertThat(service("topics").path("command").get(0).asText()).isEqualTo("topics");
        assertThat(service("analytics")
                        .path("depends_on")
                        .path("topics")
                        .path("condition")
                        .asText())
                .isEqualTo("service_completed_successfully");
    }

    /** The host path or volume mounted at {@code file} or at a folder above it, or null. */
    private static String mountedSource(JsonNode service, String file) {
        for (JsonNode volume : service.path("volumes")) {
            // docker-compose config writes SOURCE:TARGET[:MODE]; the long syntax has source and target fields.
            String[] parts = volume.asText().split(":");
            String source =
                    volume.isTextual() ? parts[0] : volume.path("source").asText();
            String target =
                    volume.isTextual() ? parts[1] : volume.path("target").asText();
            if (file.equals(target) || file.startsWith(target + "/")) {
                return source;
            }
        }
        return null;
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
        assertThat(gpu.path("build").path("target").asText()).isEqualTo("gpu");
        assertThat(gpu.path("build").path("args").path("MAVEN_PROFILES").asText())
                .isEqualTo("-Pgpu");

        JsonNode cpu = service("inference-cpu");
        assertThat(cpu.path("profiles").toString()).isEqualTo("[\"cpu\"]");
        assertThat(cpu.path("deploy").isMissingNode()).isTrue();
        assertThat(cpu.path("command")).isEqualTo(gpu.path("command"));
        for (JsonNode inference : List.of(gpu, cpu)) {
            assertThat(inference.path("volumes").toString()).contains("models:/models:ro");
        }
    }

    @Test
    void theBuildsNameDockerfilesAndTargetsThatExist() throws IOException {
        for (JsonNode service : config.path("services")) {
            if (service.has("build")) {
                Path dockerfile =
                        ROOT.resolve(service.path("build").path("dockerfile").asText());
                assertThat(dockerfile).isRegularFile();
                String target = service.path("build").path("target").asText(null);
                if (target != null) {
                    assertThat(Files.readString(dockerfile)).containsPattern("(?m)^FROM \\S+ AS " + target + "$");
                }
            }
        }
    }

    @Test
    void everyServiceHasAMemoryLimitAndTheJvmsLeaveRoomForNativeMemory() {
        config.path("services").properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            assertThat(service.path("mem_limit").asText(null))
                    .as(name + " mem_limit")
                    .isNotNull();
            if (service.path("image").asText().startsWith("posestream")
                    && !service.path("image").asText().startsWith("posestream-camera")) {
                long needed = switch (name) {
                    case "inference" -> MemoryBudget.INFERENCE_GPU_NATIVE;
                    case "inference-cpu" -> MemoryBudget.INFERENCE_CPU_NATIVE;
                    default -> MemoryBudget.SERVICE_NATIVE;
                };
                assertThat(MemoryBudget.problem(
                                name,
                                service.path("mem_limit").asText(),
                                service.path("environment")
                                        .path("JDK_JAVA_OPTIONS")
                                        .asText(null),
                                needed))
                        .isNull();
            }
        });
    }

    @Test
    void theStackIsConsistentUnderEveryProfileChoice() {
        assertThat(problems(config, commands)).isEmpty();
        for (List<String> profiles : PROFILE_CHOICES) {
            assertThat(problems(withProfiles(config, profiles), commands))
                    .as("profiles " + profiles)
                    .noneMatch(p -> !p.startsWith("volumes declared but not mounted"));
        }
    }

    @Test
    void aVariableFlagOrDependencyTheStackDoesNotHaveFails() {
        JsonNode changed = config.deepCopy();
        ((ObjectNode) changed.path("services").path("ingest").path("environment")).put("POSESTREAM_FSP", "5");
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                        changed.path("services").path("tracker").path("command"))
                .add("--statedir=/tmp");
        ((ObjectNode) changed.path("services").path("ingest").path("depends_on").path("camera"))
                .put("condition", "service_started");
        // A service every profile runs waiting for one that only the gpu profile runs.
        ((ObjectNode) changed.path("services").path("dashboard").path("depends_on"))
                .putObject("inference")
                .put("condition", "service_healthy");
        List<String> problems = problems(changed, commands);
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo(
                                "ingest: environment variable POSESTREAM_FSP is not a setting of `posestream ingest`"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).isEqualTo("tracker: flag --statedir is not an option of `posestream track`"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("ingest: starts after camera on service_started"));
        assertThat(problems(withProfiles(changed, List.of("cpu")), commands))
                .contains("dashboard: depends on inference, which these profiles leave out");
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
                if (!config.path("services").has(dependency.getKey())) {
                    problems.add(name + ": depends on " + dependency.getKey() + ", which these profiles leave out");
                    return;
                }
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
        for (String required : List.of("models", "tracker-state", "analytics-state")) {
            if (!volumes.contains(required)) {
                problems.add("no named volume " + required);
            }
        }
        return problems;
    }
}
