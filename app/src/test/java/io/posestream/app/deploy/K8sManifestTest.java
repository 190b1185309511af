package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.RulesFile;
import io.posestream.app.Repository;
import io.posestream.inference.worker.InferenceMetrics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s as a cluster would get it: base and both overlays rendered by the real {@code kubectl kustomize}, with
 * their Secrets from the local-secrets component, then checked: consistent objects whose settings the services really
 * read (ManifestChecks), valid against the Kubernetes 1.34 and KEDA schemas (Schemas), admitted by Pod Security
 * "restricted" (PodSecurityRestricted), private-CA trust everywhere, models from the models image, KEDA scaling on
 * the workers' busy time with arithmetic that scales up under overload. Mutation tests show the checks catch what they
 * claim.
 */
class K8sManifestTest {
    private static final Path K8S = Kustomize.K8S;
    private static final List<String> LAYOUTS = List.of("base", "overlays/cpu", "overlays/gpu");
    /** Busy share of a saturated worker: 0.97 measured (`bench demo`, 4 cameras on one worker); 0.9 for margin. */
    private static final double SATURATED_BUSY = 0.9;
    /** The HPA's default tolerance: no change while desired/current is within 10% of 1. */
    private static final double HPA_TOLERANCE = 0.1;

    private final ServiceCommands commands = new ServiceCommands();

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode pod(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, name).path("spec").path("template").path("spec");
    }

    private static ObjectNode container(List<ObjectNode> objects, String kind, String name) {
        return (ObjectNode) pod(objects, kind, name).path("containers").get(0);
    }

    private static List<ObjectNode> workloads(List<ObjectNode> objects) {
        return objects.stream()
                .filter(o -> Set.of("Deployment", "StatefulSet")
                        .contains(o.path("kind").asText()))
                .toList();
    }

    private static Set<String> names(List<ObjectNode> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(
                o.path("kind").asText() + " " + o.path("metadata").path("name").asText()));
        return names;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText(null);
            }
        }
        return null;
    }

    /** The config file a container reads (POSESTREAM_CONFIG), from the ConfigMap volume that provides it. */
    private static Properties configOf(List<ObjectNode> objects, JsonNode pod, JsonNode container) throws Exception {
        String path = env(container, "POSESTREAM_CONFIG");
        assertThat(path)
                .as(container.path("name").asText() + " POSESTREAM_CONFIG")
                .isNotNull();
        String file = Path.of(path).getFileName().toString();
        String key = file;
        for (JsonNode volume : pod.path("volumes")) {
            for (JsonNode item : volume.path("configMap").path("items")) {
                if (item.path("path").asText().equals(file)) {
                    key = item.path("key").asText();
                }
            }
        }
        return properties(objects, key);
    }

    private static Properties properties(List<ObjectNode> objects, String key) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(find(objects, "ConfigMap", "posestream-config")
                .path("data")
                .path(key)
                .asText()));
        return properties;
    }

    // ---- what is rendered ----

    @Test
    void everyLayoutRendersTheSameServicesAndNoSecretOrVolumeClaimOfItsOwn() {
        Set<String> expected = new TreeSet<>(List.of(
                "Namespace posestream",
                "ConfigMap posestream-config",
                "Deployment posestream-ingest",
                "Deployment posestream-inference",
                "Deployment posestream-dashboard",
                "StatefulSet posestream-tracker",
                "StatefulSet posestream-analytics",
                "Service posestream-dashboard",
                "Service posestream-tracker",
                "Service posestream-analytics",
                "PodDisruptionBudget posestream-ingest",
                "PodDisruptionBudget posestream-inference",
                "PodDisruptionBudget posestream-tracker",
                "PodDisruptionBudget posestream-analytics",
                "PodDisruptionBudget posestream-dashboard",
                "ScaledObject posestream-inference",
                "TriggerAuthentication posestream-keda-prometheus"));
        for (String layout : LAYOUTS) {
            List<ObjectNode> objects = Kustomize.render(K8S.resolve(layout));
            // Secrets come from the cluster's secret manager or the optional component: applying the base never
            // overwrites them with placeholders. The models come from an image, not a volume claim.
            assertThat(names(objects)).as(layout).isEqualTo(expected);
            assertThat(objects).as(layout).allSatisfy(o -> {
                if (!o.path("kind").asText().equals("Namespace")) {
                    assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("posestream");
                }
            });
        }
    }

    @Test
    void withTheirSecretsEveryLayoutIsConsistentValidAndAdmittedAsRestricted() {
        for (String layout : LAYOUTS) {
            List<ObjectNode> objects = Kustomize.renderWithSecrets(K8S.resolve(layout));
            assertThat(names(objects))
                    .as(layout)
                    .contains(
                            "Secret posestream-ca",
                            "Secret posestream-camera-credentials",
                            "Secret posestream-cluster-credentials",
                            "Secret posestream-keda-prometheus",
                            "Secret posestream-connect-kafka")
                    .hasSize(22);
            assertThat(objects).as(layout).allSatisfy(o -> {
                if (!o.path("kind").asText().equals("Namespace")) {
                    assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("posestream");
                }
            });
            assertThat(ManifestChecks.problems(objects, commands)).as(layout).isEmpty();
            assertThat(Schemas.problems(objects, null)).as(layout).isEmpty();
            assertThat(PodSecurityRestricted.violations(objects)).as(layout).isEmpty();
        }
        assertThat(find(Kustomize.render(K8S.resolve("base")), "Namespace", "posestream")
                        .path("metadata")
                        .path("labels")
                        .path("pod-security.kubernetes.io/enforce")
                        .asText())
                .isEqualTo("restricted");
    }

    @Test
    void noPlaceholderSecretIsCommittedAndTheSecretFilesStayUntracked() throws Exception {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(file);
                assertThat(text).as(file.toString()).doesNotContain("change-me");
                assertThat(text).as(file.toString()).doesNotContainPattern("(?m)^kind: Secret");
            }
        }
        List<String> ignored = Files.readAllLines(Kustomize.LOCAL_SECRETS.resolve(".gitignore"));
        assertThat(ignored).contains("*.env", "ca.crt");
    }

    @Test
    void everyManifestFileIsListedInItsKustomization() throws Exception {
        for (String layout : List.of("base", "overlays/cpu", "overlays/gpu", "components/local-secrets")) {
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

    // ---- hardware, state, models ----

    @Test
    void theGpuOverlayAsksForOneGpuOnGpuNodesAndRollsOutWithoutASpareGpu() {
        List<ObjectNode> gpu = Kustomize.render(K8S.resolve("overlays/gpu"));
        ObjectNode gpuWorker = container(gpu, "Deployment", "posestream-inference");
        assertThat(gpuWorker.path("image").asText()).isEqualTo("posestream-gpu:latest");
        assertThat(gpuWorker
                        .path("resources")
                        .path("limits")
                        .path("nvidia.com/gpu")
                        .asInt())
                .isEqualTo(1);
        JsonNode gpuPod = pod(gpu, "Deployment", "posestream-inference");
        assertThat(gpuPod.path("nodeSelector").path("nvidia.com/gpu.present").asText())
                .isEqualTo("true");
        assertThat(gpuPod.path("tolerations").get(0).path("key").asText()).isEqualTo("nvidia.com/gpu");
        JsonNode rollout = find(gpu, "Deployment", "posestream-inference")
                .path("spec")
                .path("strategy")
                .path("rollingUpdate");
        assertThat(rollout.path("maxSurge").asInt(-1)).isZero();
        assertThat(rollout.path("maxUnavailable").asInt()).isEqualTo(1);
        // The patch kept what it did not name: probes, mounts, the init container and the command.
        assertThat(gpuWorker.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(gpuWorker.path("args").get(0).asText()).isEqualTo("infer");
        assertThat(gpuPod.path("initContainers")).hasSize(1);

        List<ObjectNode> cpu = Kustomize.render(K8S.resolve("overlays/cpu"));
        ObjectNode cpuWorker = container(cpu, "Deployment", "posestream-inference");
        assertThat(cpuWorker.path("image").asText()).isEqualTo("posestream:latest");
        assertThat(cpuWorker.path("resources").path("limits").has("nvidia.com/gpu"))
                .isFalse();
        assertThat(cpuWorker.path("resources").path("limits").path("cpu").asText())
                .isEqualTo("4");
        assertThat(pod(cpu, "Deployment", "posestream-inference").has("nodeSelector"))
                .isFalse();
    }

    @Test
    void theTrackerAndTheAnalyticsKeepTheirStateDirsOnTheirOwnVolumes() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        for (String name : List.of("posestream-tracker", "posestream-analytics")) {
            ObjectNode statefulSet = find(objects, "StatefulSet", name);
            assertThat(statefulSet
                            .path("spec")
                            .path("volumeClaimTemplates")
                            .get(0)
                            .path("metadata")
                            .path("name")
                            .asText())
                    .as(name)
                    .isEqualTo("state");
            ObjectNode container = container(objects, "StatefulSet", name);
            String mountPath = mountPath(container, "state");
            assertThat(mountPath).as(name).isNotNull();
            assertThat(configOf(objects, pod(objects, "StatefulSet", name), container)
                            .getProperty("state-dir"))
                    .as(name)
                    .startsWith(mountPath + "/");
        }
    }

    @Test
    void theAnalyticsRunsLikeTheTrackerWithTheTrackersCredentials() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        ObjectNode tracker = find(objects, "StatefulSet", "posestream-tracker");
        ObjectNode analytics = find(objects, "StatefulSet", "posestream-analytics");
        ObjectNode container = container(objects, "StatefulSet", "posestream-analytics");
        assertThat(container.path("args").get(0).asText()).isEqualTo("analyze");
        assertThat(analytics.path("spec").path("replicas"))
                .isEqualTo(tracker.path("spec").path("replicas"));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/live");
        assertThat(container.path("resources").path("limits").has("memory")).isTrue();
        // The cluster credentials as the tracker gets them: the same Secret, every key as environment.
        assertThat(container.path("envFrom"))
                .isEqualTo(
                        container(objects, "StatefulSet", "posestream-tracker").path("envFrom"));
        assertThat(find(objects, "PodDisruptionBudget", "posestream-analytics")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"))
                .isEqualTo(analytics.path("spec").path("selector").path("matchLabels"));
        // Its own Streams application: sharing the tracker's id would mix the two topologies' tasks.
        Properties config = configOf(objects, pod(objects, "StatefulSet", "posestream-analytics"), container);
        assertThat(config.getProperty("application-id"))
                .isNotEqualTo(properties(objects, "track.properties").getProperty("application-id"));
    }

    @Test
    void theAnalyticsAndTheDashboardReadTheSameRulesForTheCamerasOfIngest() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        Set<String> rulesFiles = new TreeSet<>();
        for (String[] workload : List.of(
                new String[] {"StatefulSet", "posestream-analytics"},
                new String[] {"Deployment", "posestream-dashboard"})) {
            JsonNode pod = pod(objects, workload[0], workload[1]);
            ObjectNode container = container(objects, workload[0], workload[1]);
            String rules = configOf(objects, pod, container).getProperty("rules");
            assertThat(rules).as(workload[1] + " rules").isNotNull();
            assertThat(mountedConfigMapKey(pod, container, rules))
                    .as(workload[1] + " mounts " + rules)
                    .isEqualTo("rules.yaml");
            rulesFiles.add(rules);
        }
        assertThat(rulesFiles).hasSize(1);
        // The rules the services would load, checked by the analytics' own loader, for cameras ingest reads.
        Path file = Files.createTempDirectory(Repository.root().resolve("app/target"), "k8s-rules-")
                .resolve("rules.yaml");
        Files.writeString(
                file,
                find(objects, "ConfigMap", "posestream-config")
                        .path("data")
                        .path("rules.yaml")
                        .asText());
        AnalyticsRules rules = RulesFile.load(file);
        assertThat(rules.ruleCount()).isPositive();
        Set<String> cameras = new TreeSet<>();
        for (JsonNode camera : Kustomize.YAML.readTree(find(objects, "ConfigMap", "posestream-config")
                .path("data")
                .path("cameras.yaml")
                .asText())) {
            cameras.add(camera.path("id").asText());
        }
        assertThat(cameras).containsAll(rules.cameras().keySet());
    }

    /** Where the container mounts volume {@code name}, or null. */
    private static String mountPath(JsonNode container, String name) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(name)) {
                return mount.path("mountPath").asText();
            }
        }
        return null;
    }

    /** The ConfigMap key the container sees at {@code file} through a mounted configMap volume, or null. */
    private static String mountedConfigMapKey(JsonNode pod, JsonNode container, String file) {
        for (JsonNode volume : pod.path("volumes")) {
            String dir = mountPath(container, volume.path("name").asText());
            if (dir == null || !volume.has("configMap")) {
                continue;
            }
            for (JsonNode item : volume.path("configMap").path("items")) {
                if ((dir + "/" + item.path("path").asText()).equals(file)) {
                    return item.path("key").asText();
                }
            }
        }
        return null;
    }

    @Test
    void theWorkersModelsComeFromTheModelsImageThroughAnEmptyDir() throws Exception {
        Set<String> baked = new TreeSet<>();
        Matcher copy = Pattern.compile("(?m)^COPY --from=models-prepare /models/(\\S+) /models/\\1$")
                .matcher(Files.readString(Repository.root().resolve("deploy/Dockerfile")));
        while (copy.find()) {
            baked.add(copy.group(1));
        }
        assertThat(baked)
                .as("models baked into deploy/Dockerfile's models target")
                .isNotEmpty();
        for (String layout : LAYOUTS) {
            List<ObjectNode> objects = Kustomize.render(K8S.resolve(layout));
            JsonNode pod = pod(objects, "Deployment", "posestream-inference");
            JsonNode init = pod.path("initContainers").get(0);
            assertThat(init.path("image").asText()).as(layout).startsWith("posestream-models:");
            List<String> command = new ArrayList<>();
            init.path("command").forEach(c -> command.add(c.asText()));
            String initMount = null;
            for (JsonNode mount : init.path("volumeMounts")) {
                if (mount.path("name").asText().equals("models")) {
                    initMount = mount.path("mountPath").asText();
                }
            }
            assertThat(command).as(layout).containsExactly("cp", "-R", "/models/.", initMount + "/");
            JsonNode volume = null;
            for (JsonNode v : pod.path("volumes")) {
                if (v.path("name").asText().equals("models")) {
                    volume = v;
                }
            }
            assertThat(volume).as(layout).isNotNull();
            assertThat(volume.has("emptyDir"))
                    .as(layout + ": models volume is an emptyDir")
                    .isTrue();
            JsonNode worker = pod.path("containers").get(0);
            String modelsDir = null;
            for (JsonNode mount : worker.path("volumeMounts")) {
                if (mount.path("name").asText().equals("models")) {
                    modelsDir = mount.path("mountPath").asText();
                    assertThat(mount.path("readOnly").asBoolean()).as(layout).isTrue();
                }
            }
            List<String> args = new ArrayList<>();
            worker.path("args").forEach(a -> args.add(a.asText()));
            for (String option : List.of("--detector", "--pose")) {
                String dir = args.get(args.indexOf(option) + 1);
                assertThat(Path.of(dir).getParent().toString())
                        .as(layout + " " + option)
                        .isEqualTo(modelsDir);
                assertThat(baked)
                        .as(layout + " " + option)
                        .contains(Path.of(dir).getFileName().toString());
            }
        }
    }

    // ---- private CA ----

    @Test
    void everyServiceTrustsTheClusterCaForKafkaAndTheRegistryAndSoDoesKeda() throws Exception {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("overlays/gpu"));
        for (ObjectNode workload : workloads(objects)) {
            String name = workload.path("metadata").path("name").asText();
            JsonNode pod = workload.path("spec").path("template").path("spec");
            String caVolume = null;
            for (JsonNode volume : pod.path("volumes")) {
                JsonNode secret = volume.path("secret");
                if (secret.path("secretName").asText().equals("posestream-ca")) {
                    caVolume = volume.path("name").asText();
                    assertThat(secret.path("items").get(0).path("key").asText()).isEqualTo("ca.crt");
                }
            }
            assertThat(caVolume).as(name + " mounts the Secret posestream-ca").isNotNull();
            JsonNode container = pod.path("containers").get(0);
            String caDir = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("name").asText().equals(caVolume)) {
                    caDir = mount.path("mountPath").asText();
                }
            }
            assertThat(caDir).as(name).isNotNull();
            Properties config = configOf(objects, pod, container);
            assertThat(config.getProperty("kafka.security.protocol")).as(name).isEqualTo("SASL_SSL");
            assertThat(config.getProperty("kafka.ssl.truststore.type")).as(name).isEqualTo("PEM");
            assertThat(config.getProperty("kafka.ssl.truststore.location"))
                    .as(name)
                    .isEqualTo(caDir + "/ca.crt");
            assertThat(config.getProperty("schema-registry-url")).as(name).startsWith("https://");
            assertThat(config.getProperty("schema-registry-truststore"))
                    .as(name)
                    .isEqualTo(caDir + "/ca.crt");
        }
        JsonNode trigger = find(objects, "ScaledObject", "posestream-inference")
                .path("spec")
                .path("triggers")
                .get(0);
        assertThat(trigger.path("metadata").path("serverAddress").asText()).startsWith("https://");
        // KEDA reads the ca parameter only together with an auth mode.
        assertThat(trigger.path("metadata").path("authModes").asText()).isNotBlank();
        JsonNode auth = find(
                        objects,
                        "TriggerAuthentication",
                        trigger.path("authenticationRef").path("name").asText())
                .path("spec")
                .path("secretTargetRef");
        assertThat(auth.findValuesAsText("parameter")).contains("ca");
        for (JsonNode ref : auth) {
            if (ref.path("parameter").asText().equals("ca")) {
                assertThat(ref.path("name").asText()).isEqualTo("posestream-ca");
                assertThat(ref.path("key").asText()).isEqualTo("ca.crt");
            }
        }
    }

    // ---- memory ----

    @Test
    void everyJvmContainerLeavesRoomForNativeMemoryBelowItsLimit() {
        for (String layout : List.of("overlays/cpu", "overlays/gpu")) {
            for (ObjectNode workload : workloads(Kustomize.render(K8S.resolve(layout)))) {
                String name = workload.path("metadata").path("name").asText();
                JsonNode container = workload.path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0);
                long needed = !name.equals("posestream-inference")
                        ? MemoryBudget.SERVICE_NATIVE
                        : layout.endsWith("gpu")
                                ? MemoryBudget.INFERENCE_GPU_NATIVE
                                : MemoryBudget.INFERENCE_CPU_NATIVE;
                assertThat(MemoryBudget.problem(
                                layout + " " + name,
                                container
                                        .path("resources")
                                        .path("limits")
                                        .path("memory")
                                        .asText(null),
                                env(container, "JDK_JAVA_OPTIONS"),
                                needed))
                        .isNull();
            }
        }
        assertThat(MemoryBudget.problem("x", "4Gi", "-XX:MaxRAMPercentage=75", MemoryBudget.INFERENCE_CPU_NATIVE))
                .contains("leaves 1024 MiB for native memory, below the 2048 MiB it needs");
        assertThat(MemoryBudget.problem("x", "4Gi", null, 0)).contains("no -XX:MaxRAMPercentage");
    }

    // ---- KEDA ----

    @Test
    void kedaOwnsTheWorkerCountAndNeverAsksForMoreWorkersThanFramePartitions() throws Exception {
        for (String layout : LAYOUTS) {
            List<ObjectNode> objects = Kustomize.render(K8S.resolve(layout));
            // A replicas field would reset KEDA's count on every apply.
            assertThat(find(objects, "Deployment", "posestream-inference")
                            .path("spec")
                            .has("replicas"))
                    .as(layout)
                    .isFalse();
            ObjectNode scaler = find(objects, "ScaledObject", "posestream-inference");
            assertThat(scaler.path("spec").path("scaleTargetRef").path("name").asText())
                    .isEqualTo("posestream-inference");
            int partitions =
                    Integer.parseInt(properties(objects, "ingest.properties").getProperty("partitions"));
            assertThat(scaler.path("spec").path("maxReplicaCount").asInt()).isBetween(1, partitions);
        }
    }

    @Test
    void theScalerSumsTheBusyTimeOfThePipelineStagesTheWorkerExports() {
        JsonNode trigger = find(Kustomize.render(K8S.resolve("base")), "ScaledObject", "posestream-inference")
                .path("spec")
                .path("triggers")
                .get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
        assertThat(trigger.path("metricType").asText()).isEqualTo("AverageValue");
        String query = trigger.path("metadata").path("query").asText();
        Matcher shape = Pattern.compile(
                        "sum\\(rate\\((\\w+)\\{namespace=\"[^\"]+\",stage=~\"([a-z_|]+)\"}\\[(\\d+)m]\\)\\)")
                .matcher(query);
        assertThat(shape.matches()).as(query).isTrue();

        // The worker's real meters, scraped the way its /metrics serves them.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceMetrics metrics = new InferenceMetrics(registry);
        metrics.poseStages().values().forEach(timer -> timer.record(Duration.ofMillis(10)));
        String scrape = registry.scrape();
        Set<String> stages = new TreeSet<>(List.of(shape.group(2).split("\\|")));
        // Exactly the stages whose sum is the worker's busy time (the same sum `bench demo` reports as busy).
        assertThat(stages).isEqualTo(metrics.poseStages().keySet());
        for (String stage : stages) {
            assertThat(scrape).contains(shape.group(1) + "{stage=\"" + stage + "\"}");
        }
    }

    /** What the HPA asks for with an AverageValue target: ceil(total / target), unless within its tolerance. */
    private static int desired(double total, double target, int current, int min, int max) {
        double ratio = total / (target * current);
        int wanted = Math.abs(ratio - 1) <= HPA_TOLERANCE ? current : (int) Math.ceil(total / target);
        return Math.max(min, Math.min(max, wanted));
    }

    @Test
    void theScalingArithmeticAddsWorkersUnderOverloadAndSettlesWhenTheyKeepUp() {
        JsonNode spec = find(Kustomize.render(K8S.resolve("base")), "ScaledObject", "posestream-inference")
                .path("spec");
        double target = Double.parseDouble(
                spec.path("triggers").get(0).path("metadata").path("threshold").asText());
        int min = spec.path("minReplicaCount").asInt();
        int max = spec.path("maxReplicaCount").asInt();
        for (int workers = min; workers < max; workers++) {
            // Saturated: every worker busy, frames skipped; busy time cannot exceed the workers there are.
            assertThat(desired(SATURATED_BUSY * workers, target, workers, min, max))
                    .as("%d saturated workers", workers)
                    .isGreaterThan(workers);
        }
        for (int workers = min; workers <= max; workers++) {
            // Keeping up at the target share: no change, so the count settles instead of oscillating.
            assertThat(desired(target * workers, target, workers, min, max)).isEqualTo(workers);
            // Idle: back to the minimum (after the HPA's scale-down stabilisation window).
            assertThat(desired(0, target, workers, min, max)).isEqualTo(min);
        }
        // Work worth 3.3 busy workers needs 5 workers at a 0.7 target, from any starting count.
        assertThat(desired(3.3, 0.7, 1, 1, 8)).isEqualTo(5);
        assertThat(desired(3.3, 0.7, 8, 1, 8)).isEqualTo(5);
    }

    // ---- the checks fail when they should ----

    private List<String> problemsAfter(Consumer<List<ObjectNode>> change) {
        List<ObjectNode> objects = Kustomize.renderWithSecrets(K8S.resolve("base"));
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
    void brokenSelectorsPortsReferencesAndQueriesAreNamed() {
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
                            .path("data"))
                    .remove("CAMERA_LOBBY_PASSWORD");
            ObjectNode scaler = find(objects, "ScaledObject", "posestream-inference");
            ((ObjectNode) scaler.path("spec").path("scaleTargetRef")).put("name", "inference");
            ((ObjectNode) scaler.path("spec").path("triggers").get(0).path("metadata"))
                    .put("query", "sum(rate(posestream_inference_stage_seconds_sum[2m]))");
            ((ObjectNode) pod(objects, "Deployment", "posestream-inference")
                            .path("initContainers")
                            .get(0)
                            .path("volumeMounts")
                            .get(0))
                    .put("name", "model");
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
                .anySatisfy(p -> assertThat(p).contains("Prometheus query does not select namespace=\"posestream\""));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("init container models: mounts volume model, which the pod does not have"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).contains("camera garage reads its password from " + "CAMERA_GARAGE_PASSWORD"));
    }

    @Test
    void aPodThatRestrictedPodSecurityWouldRefuseIsNamed() {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        ObjectNode worker = container(objects, "Deployment", "posestream-inference");
        ObjectNode context = (ObjectNode) worker.path("securityContext");
        context.remove("capabilities");
        context.put("allowPrivilegeEscalation", true);
        ObjectNode ingestPod = (ObjectNode) pod(objects, "Deployment", "posestream-ingest");
        ((ObjectNode) ingestPod.path("securityContext")).remove("seccompProfile");
        ((ObjectNode) ingestPod.path("securityContext")).put("runAsNonRoot", false);
        ((ArrayNode) ingestPod.path("volumes"))
                .addObject()
                .put("name", "host")
                .putObject("hostPath")
                .put("path", "/var/run");
        ((ObjectNode) pod(objects, "StatefulSet", "posestream-tracker")).put("hostNetwork", true);
        assertThat(PodSecurityRestricted.violations(objects))
                .contains(
                        "Deployment posestream-inference: containers inference: allowPrivilegeEscalation is not false",
                        "Deployment posestream-inference: containers inference: capabilities.drop does not contain ALL",
                        "Deployment posestream-ingest: containers ingest: runAsNonRoot is not true (in the container or the pod)",
                        "Deployment posestream-ingest: containers ingest: seccompProfile is neither RuntimeDefault nor "
                                + "Localhost (in the container or pod)",
                        "Deployment posestream-ingest: volume host is of type hostPath",
                        "StatefulSet posestream-tracker: spec.hostNetwork is true");
    }

    @Test
    void anObjectTheSchemasRefuseIsNamed() {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("base"));
        ((ObjectNode) find(objects, "StatefulSet", "posestream-tracker").path("spec")).put("replicas", "two");
        ((ObjectNode) find(objects, "ScaledObject", "posestream-inference")
                        .path("spec")
                        .path("fallback"))
                .put("behavior", "sometimes");
        ((ObjectNode) container(objects, "Deployment", "posestream-ingest").path("securityContext"))
                .put("runAsUser", "nobody");
        assertThat(Schemas.problems(objects, null))
                .contains(
                        "StatefulSet posestream-tracker: data/spec/replicas must be integer",
                        "ScaledObject posestream-inference: data/spec/fallback/behavior must be equal to one of the "
                                + "allowed values",
                        "Deployment posestream-ingest: data/spec/template/spec/containers/0/securityContext/runAsUser "
                                + "must be integer");
    }

    @Test
    void aKustomizationNamingAMissingFileIsNamed() throws Exception {
        Path overlay = Files.createTempDirectory(Repository.root().resolve("app/target"), "kustomize-missing-");
        Files.writeString(
                overlay.resolve("kustomization.yaml"),
                "resources:\n  - " + overlay.relativize(K8S.resolve("base")) + "\npatches:\n  - path: missing.yaml\n");
        assertThatThrownBy(() -> Kustomize.render(overlay))
                .hasMessageContaining("kubectl kustomize " + overlay + " failed")
                .hasMessageContaining("missing.yaml");
    }
}
