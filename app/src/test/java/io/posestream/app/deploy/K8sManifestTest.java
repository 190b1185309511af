package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.app.Repository;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every kustomization resolves, and base and both overlays render to consistent objects whose settings
 * are ones the services really read (ManifestChecks). The mutation tests show that the checks catch what they claim.
 */
class K8sManifestTest {
    private static final Path K8S = Repository.root().resolve("deploy/k8s");
    private final ServiceCommands commands = new ServiceCommands();

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static ObjectNode container(List<ObjectNode> objects, String kind, String name) {
        return (ObjectNode) find(objects, kind, name)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    @Test
    void baseAndBothOverlaysRenderToConsistentObjects() {
        for (String layout : List.of("base", "overlays/cpu", "overlays/gpu")) {
            List<ObjectNode> objects = Kustomize.render(K8S.resolve(layout));
            assertThat(ManifestChecks.problems(objects, commands)).as(layout).isEmpty();
            assertThat(objects).as(layout).allSatisfy(o -> {
                if (!o.path("kind").asText().equals("Namespace")) {
                    assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("posestream");
                }
            });
            assertThat(objects.stream().map(o -> o.path("kind").asText()).distinct())
                    .as(layout)
                    .contains(
                            "Namespace",
                            "ConfigMap",
                            "Secret",
                            "Deployment",
                            "StatefulSet",
                            "Service",
                            "PodDisruptionBudget",
                            "ScaledObject",
                            "TriggerAuthentication",
                            "PersistentVolumeClaim");
        }
    }

    @Test
    void everyManifestFileIsListedInItsKustomization() throws Exception {
        for (String layout : List.of("base", "overlays/cpu", "overlays/gpu")) {
            Path dir = K8S.resolve(layout);
            String kustomization = Files.readString(dir.resolve("kustomization.yaml"));
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                        .forEach(f -> assertThat(kustomization)
                                .as(layout + " lists " + f)
                                .contains(f));
            }
        }
    }

    @Test
    void theGpuOverlayAsksForOneGpuOnGpuNodesAndTheCpuOverlayForCpusOnly() {
        List<ObjectNode> gpu = Kustomize.render(K8S.resolve("overlays/gpu"));
        ObjectNode gpuWorker = container(gpu, "Deployment", "posestream-inference");
        assertThat(gpuWorker.path("image").asText()).isEqualTo("posestream-gpu:latest");
        assertThat(gpuWorker
                        .path("resources")
                        .path("limits")
                        .path("nvidia.com/gpu")
                        .asInt())
                .isEqualTo(1);
        JsonNode gpuPod = find(gpu, "Deployment", "posestream-inference")
                .path("spec")
                .path("template")
                .path("spec");
        assertThat(gpuPod.path("nodeSelector").path("nvidia.com/gpu.present").asText())
                .isEqualTo("true");
        assertThat(gpuPod.path("tolerations").get(0).path("key").asText()).isEqualTo("nvidia.com/gpu");
        // The patch kept what it did not name: probes, mounts and the command.
        assertThat(gpuWorker.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(gpuWorker.path("args").get(0).asText()).isEqualTo("infer");

        List<ObjectNode> cpu = Kustomize.render(K8S.resolve("overlays/cpu"));
        ObjectNode cpuWorker = container(cpu, "Deployment", "posestream-inference");
        assertThat(cpuWorker.path("image").asText()).isEqualTo("posestream:latest");
        assertThat(cpuWorker.path("resources").path("limits").has("nvidia.com/gpu"))
                .isFalse();
        assertThat(cpuWorker.path("resources").path("limits").path("cpu").asText())
                .isEqualTo("4");
        assertThat(find(cpu, "Deployment", "posestream-inference")
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .has("nodeSelector"))
                .isFalse();
    }

    @Test
    void theTrackerKeepsItsStateDirOnItsOwnVolume() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        ObjectNode tracker = find(objects, "StatefulSet", "posestream-tracker");
        assertThat(tracker.path("spec")
                        .path("volumeClaimTemplates")
                        .get(0)
                        .path("metadata")
                        .path("name")
                        .asText())
                .isEqualTo("state");
        String mountPath = null;
        for (JsonNode mount :
                container(objects, "StatefulSet", "posestream-tracker").path("volumeMounts")) {
            if (mount.path("name").asText().equals("state")) {
                mountPath = mount.path("mountPath").asText();
            }
        }
        assertThat(mountPath).isNotNull();
        Properties track = properties(objects, "track.properties");
        assertThat(track.getProperty("state-dir")).startsWith(mountPath + "/");
    }

    @Test
    void theScalerNeverAsksForMoreWorkersThanFramePartitions() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        int partitions =
                Integer.parseInt(properties(objects, "ingest.properties").getProperty("partitions"));
        ObjectNode scaler = find(objects, "ScaledObject", "posestream-inference");
        assertThat(scaler.path("spec").path("maxReplicaCount").asInt()).isBetween(1, partitions);
    }

    private static Properties properties(List<ObjectNode> objects, String key) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(find(objects, "ConfigMap", "posestream-config")
                .path("data")
                .path(key)
                .asText()));
        return properties;
    }

    // ---- the checks fail when they should ----

    private List<String> problemsAfter(java.util.function.Consumer<List<ObjectNode>> change) {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        change.accept(objects);
        return ManifestChecks.problems(objects, commands);
    }

    @Test
    void aConfigKeyTheServiceDoesNotHaveFails() {
        List<String> problems = problemsAfter(objects -> {
            ObjectNode data =
                    (ObjectNode) find(objects, "ConfigMap", "posestream-config").path("data");
            data.put("ingest.properties", data.path("ingest.properties").asText() + "fsp=5\n");
            data.put("track.properties", data.path("track.properties").asText() + "statedir=/tmp\n");
        });
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("Deployment posestream-ingest")
                        .contains("config key 'fsp' is not a setting of `posestream ingest`"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("StatefulSet posestream-tracker")
                        .contains("config key 'statedir' is not a setting of `posestream track`"));
    }

    @Test
    void anEnvironmentVariableOrFlagTheServiceDoesNotHaveFails() {
        List<String> problems = problemsAfter(objects -> {
            ObjectNode dashboard = container(objects, "Deployment", "posestream-dashboard");
            ((ArrayNode) dashboard.path("env"))
                    .addObject()
                    .put("name", "POSESTREAM_HTTP_PORT")
                    .put("value", "80");
            ((ArrayNode) container(objects, "Deployment", "posestream-ingest").path("args")).add("--fsp=5");
        });
        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p)
                                .contains(
                                        "environment variable POSESTREAM_HTTP_PORT is not a setting of `posestream dashboard`"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("flag --fsp is not an option of `posestream ingest`"));
    }

    @Test
    void brokenSelectorsPortsAndReferencesAreNamed() {
        List<String> problems = problemsAfter(objects -> {
            ((ObjectNode) find(objects, "Service", "posestream-dashboard")
                            .path("spec")
                            .path("selector"))
                    .put("app.kubernetes.io/name", "dashboard");
            ((ObjectNode) container(objects, "StatefulSet", "posestream-tracker")
                            .path("readinessProbe")
                            .path("httpGet"))
                    .put("port", "health");
            ((ObjectNode) find(objects, "Secret", "posestream-camera-credentials")
                            .path("stringData"))
                    .remove("CAMERA_LOBBY_PASSWORD");
            ((ObjectNode) find(objects, "ScaledObject", "posestream-inference")
                            .path("spec")
                            .path("scaleTargetRef"))
                    .put("name", "inference");
            ObjectNode data =
                    (ObjectNode) find(objects, "ConfigMap", "posestream-config").path("data");
            data.put(
                    "cameras.yaml",
                    data.path("cameras.yaml").asText()
                            + "- id: garage\n  url: rtsp://10.0.0.23/\n  username: u\n  passwordEnv: CAMERA_GARAGE_PASSWORD\n");
        });
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("Service posestream-dashboard: selector"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("StatefulSet posestream-tracker")
                        .contains("readinessProbe probes port \"health\""));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("Deployment posestream-ingest")
                        .contains("key CAMERA_LOBBY_PASSWORD of Secret posestream-camera-credentials"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("scales Deployment inference"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).contains("camera garage reads its password from " + "CAMERA_GARAGE_PASSWORD"));
    }

    @Test
    void aKustomizationNamingAMissingFileIsNamed() throws Exception {
        Path overlay = Files.createTempDirectory("posestream-kustomize");
        try {
            Files.writeString(
                    overlay.resolve("kustomization.yaml"),
                    "resources:\n  - " + K8S.resolve("base") + "\npatches:\n  - path: missing.yaml\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kustomize.render(overlay))
                    .hasMessageContaining("names patch 'missing.yaml', which does not exist");
        } finally {
            Files.delete(overlay.resolve("kustomization.yaml"));
            Files.delete(overlay);
        }
    }
}
