package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.app.Repository;
import io.posestream.app.connect.WorkerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/overlays/connect: Strimzi's KafkaConnect and KafkaConnector instead of the ingest Deployment. The two
 * resources are valid against Strimzi's CRD schemas (npm {@code @kubernetes-models/strimzi-kafka-operator}, pinned in
 * src/test/strimzi), the connector names the plugin's real class, every Secret and key it reads exists, the worker
 * settings are the ones {@code posestream connect} runs with, and the rest of the stack stays consistent.
 */
class ConnectManifestTest {
    private static final Path OVERLAY = Repository.root().resolve("deploy/k8s/overlays/connect");
    private static final Path VALIDATOR = Path.of("src/test/strimzi");
    private static final Pattern DIR_REFERENCE = Pattern.compile("\\$\\{dir:([^:}]+):([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceCommands commands = new ServiceCommands();

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void theOverlayReplacesTheIngestDeploymentAndStaysConsistent() {
        List<ObjectNode> objects = Kustomize.renderWithSecrets(OVERLAY);
        assertThat(objects)
                .noneMatch(o -> o.path("metadata").path("name").asText().equals("posestream-ingest"));
        assertThat(ManifestChecks.problems(objects, commands)).isEmpty();
        assertThat(objects)
                .filteredOn(o -> !o.path("kind").asText().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                        .isEqualTo("posestream"));
        find(objects, "KafkaConnect", "posestream-connect");
        find(objects, "KafkaConnector", "rtsp-cameras");
    }

    @Test
    void theOverlayIsTheGpuOverlayWithConnectInPlaceOfTheIngestDeployment() {
        // Rendered by the real kubectl kustomize: the strategic-merge deletes must drop exactly the ingest objects.
        Set<String> gpu = new TreeSet<>();
        Kustomize.render(Kustomize.K8S.resolve("overlays/gpu")).forEach(o -> gpu.add(name(o)));
        Set<String> connect = new TreeSet<>();
        Kustomize.render(OVERLAY).forEach(o -> connect.add(name(o)));

        Set<String> removed = new TreeSet<>(gpu);
        removed.removeAll(connect);
        Set<String> added = new TreeSet<>(connect);
        added.removeAll(gpu);
        assertThat(removed)
                .containsExactlyInAnyOrder("Deployment posestream-ingest", "PodDisruptionBudget posestream-ingest");
        assertThat(added)
                .containsExactlyInAnyOrder(
                        "KafkaConnect posestream-connect",
                        "KafkaConnector rtsp-cameras",
                        "ConfigMap posestream-connect-metrics");
    }

    private static String name(JsonNode object) {
        return object.path("kind").asText() + " "
                + object.path("metadata").path("name").asText();
    }

    @Test
    void kafkaConnectAndKafkaConnectorAreValidAgainstStrimzisSchemas() throws Exception {
        List<ObjectNode> objects = Kustomize.render(OVERLAY);
        Map<String, String> errors = strimziErrors(objects);
        assertThat(errors).containsOnlyKeys("KafkaConnect posestream-connect", "KafkaConnector rtsp-cameras");
        assertThat(errors.values()).allSatisfy(e -> assertThat(e).isEqualTo("null"));

        // The validator does refuse what Strimzi would: a broken copy is reported, naming the field.
        ObjectNode connect = find(objects, "KafkaConnect", "posestream-connect").deepCopy();
        ((ObjectNode) connect.get("spec")).put("replicas", "three");
        ((ObjectNode) connect.get("spec")).remove("groupId");
        assertThat(strimziErrors(List.of(connect)).get("KafkaConnect posestream-connect"))
                .contains("spec/replicas must be integer")
                .contains("must have required property groupId");
    }

    @Test
    void theConnectorIsThePluginsClassAndRunsOnThisConnectCluster() throws Exception {
        List<ObjectNode> objects = Kustomize.render(OVERLAY);
        ObjectNode connect = find(objects, "KafkaConnect", "posestream-connect");
        ObjectNode connector = find(objects, "KafkaConnector", "rtsp-cameras");
        assertThat(connector
                        .path("metadata")
                        .path("labels")
                        .path("strimzi.io/cluster")
                        .asText())
                .isEqualTo("posestream-connect");
        assertThat(connect.path("metadata")
                        .path("annotations")
                        .path("strimzi.io/use-connector-resources")
                        .asText())
                .isEqualTo("true");
        assertThat(connector.path("spec").path("class").asText()).isEqualTo(pluginConnectorClass());
        JsonNode artifact = connect.path("spec")
                .path("build")
                .path("plugins")
                .get(0)
                .path("artifacts")
                .get(0);
        assertThat(artifact.path("type").asText()).isEqualTo("zip");
        assertThat(artifact.path("url").asText()).endsWith("-plugin.zip");
    }

    @Test
    void everySecretAndKeyTheConnectClusterReadsExists() {
        // The Secrets as the local-secrets component makes them (a secret manager makes the same names and keys).
        List<ObjectNode> objects = Kustomize.renderWithSecrets(OVERLAY);
        ObjectNode connect = find(objects, "KafkaConnect", "posestream-connect");
        ObjectNode connector = find(objects, "KafkaConnector", "rtsp-cameras");
        JsonNode password = connect.path("spec").path("authentication").path("passwordSecret");
        assertThat(secretKeys(objects, password.path("secretName").asText()))
                .contains(password.path("password").asText());

        // Mounted Secrets by mount path, for the "dir" config provider's references.
        Map<String, String> secretOfVolume = new LinkedHashMap<>();
        connect.path("spec")
                .path("template")
                .path("pod")
                .path("volumes")
                .forEach(v -> secretOfVolume.put(
                        v.path("name").asText(),
                        v.path("secret").path("secretName").asText()));
        Map<String, String> secretAtPath = new LinkedHashMap<>();
        connect.path("spec")
                .path("template")
                .path("connectContainer")
                .path("volumeMounts")
                .forEach(m -> secretAtPath.put(
                        m.path("mountPath").asText(),
                        secretOfVolume.get(m.path("name").asText())));
        String allowed = connect.path("spec")
                .path("config")
                .path("config.providers.dir.param.allowed.paths")
                .asText();
        List<String> references = new ArrayList<>();
        connector.path("spec").path("config").properties().forEach(e -> {
            Matcher reference = DIR_REFERENCE.matcher(e.getValue().asText());
            while (reference.find()) {
                references.add(e.getKey());
                String path = reference.group(1);
                assertThat(secretAtPath).as("%s mounts %s", e.getKey(), path).containsKey(path);
                assertThat(allowed.split(",")).as("allowed paths").contains(path);
                assertThat(secretKeys(objects, secretAtPath.get(path)))
                        .as("keys of Secret %s for %s", secretAtPath.get(path), e.getKey())
                        .contains(reference.group(2));
            }
        });
        assertThat(references).contains("camera.entrance.password", "camera.lobby.password", "basic.auth.user.info");
        // Every camera with a login gets its password from a provider, never inline.
        connector.path("spec").path("config").properties().forEach(e -> {
            if (e.getKey().endsWith(".password")) {
                assertThat(e.getValue().asText()).startsWith("${");
            }
        });
    }

    @Test
    void theWorkersRunWithPosestreamConnectsSettings() {
        ObjectNode connect = find(Kustomize.render(OVERLAY), "KafkaConnect", "posestream-connect");
        Map<String, String> ours = new WorkerSettings(
                        "unused:9092",
                        connect.path("spec").path("groupId").asText(),
                        "0.0.0.0",
                        8083,
                        null,
                        Path.of("/opt/kafka/plugins"),
                        true,
                        10_000,
                        Map.of(),
                        Map.of())
                .properties();
        Set<String> compared = new TreeSet<>();
        connect.path("spec").path("config").properties().forEach(e -> {
            if (ours.containsKey(e.getKey()) && !e.getKey().startsWith("config.providers")) {
                compared.add(e.getKey());
                assertThat(e.getValue().asText()).as(e.getKey()).isEqualTo(ours.get(e.getKey()));
            }
        });
        assertThat(compared)
                .contains(
                        "exactly.once.source.support",
                        "scheduled.rebalance.max.delay.ms",
                        "key.converter",
                        "value.converter",
                        "producer.max.request.size");
        assertThat(connect.path("spec").path("configStorageTopic").asText())
                .isEqualTo(ours.get("config.storage.topic"));
        assertThat(connect.path("spec").path("offsetStorageTopic").asText())
                .isEqualTo(ours.get("offset.storage.topic"));
        assertThat(connect.path("spec").path("statusStorageTopic").asText())
                .isEqualTo(ours.get("status.storage.topic"));
    }

    @Test
    void theWorkersFollowPodSecurityRestricted() {
        JsonNode template = find(Kustomize.render(OVERLAY), "KafkaConnect", "posestream-connect")
                .path("spec")
                .path("template");
        JsonNode pod = template.path("pod").path("securityContext");
        JsonNode container = template.path("connectContainer").path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
    }

    private static Set<String> secretKeys(List<ObjectNode> objects, String name) {
        ObjectNode secret = find(objects, "Secret", name);
        Set<String> keys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        secret.path("data").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The connector class the built plugin declares (its ServiceLoader manifest). */
    private static String pluginConnectorClass() throws IOException {
        Path lib = Path.of("target/plugins/posestream-connect/lib");
        try (var jars = Files.list(lib)) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("posestream-connect-"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no posestream-connect jar in " + lib));
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                var entry = zip.getEntry("META-INF/services/org.apache.kafka.connect.source.SourceConnector");
                return new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
    }

    /** "kind name" to Strimzi's validation errors ("null" when valid), from the pinned node validator. */
    private static Map<String, String> strimziErrors(List<ObjectNode> objects) throws Exception {
        assertThat(VALIDATOR.resolve("node_modules/@kubernetes-models/strimzi-kafka-operator"))
                .as("Strimzi's models: run scripts/setup.sh (npm ci in app/src/test/strimzi)")
                .isDirectory();
        Process node = new ProcessBuilder("node", "validate.mjs")
                .directory(VALIDATOR.toFile())
                .redirectErrorStream(true)
                .start();
        try (var in = node.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(objects));
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("node validate.mjs: " + out).isZero();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                JsonNode result = JSON.readTree(line);
                errors.put(
                        result.path("kind").asText() + " " + result.path("name").asText(),
                        result.path("errors").isNull()
                                ? "null"
                                : result.path("errors").asText());
            }
        }
        return errors;
    }
}
