package io.posestream.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Consistency of a rendered set of Kubernetes objects: selectors match labels, Services and probes point at declared
 * container ports, every referenced ConfigMap, Secret, key, volume and claim exists, and every setting a container is
 * given (flags, {@code POSESTREAM_*} variables, config-file keys) is one its posestream command really has. Returns
 * every problem found, each naming the object.
 */
final class ManifestChecks {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

    private final List<ObjectNode> objects;
    private final ServiceCommands commands;
    private final List<String> problems = new ArrayList<>();

    private ManifestChecks(List<ObjectNode> objects, ServiceCommands commands) {
        this.objects = objects;
        this.commands = commands;
    }

    static List<String> problems(List<ObjectNode> objects, ServiceCommands commands) {
        ManifestChecks checks = new ManifestChecks(objects, commands);
        checks.run();
        return checks.problems;
    }

    private void problem(JsonNode object, String text) {
        problems.add(object.path("kind").asText() + " "
                + object.path("metadata").path("name").asText() + ": " + text);
    }

    private List<ObjectNode> ofKind(String kind) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
    }

    private JsonNode find(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static JsonNode podTemplate(JsonNode workload) {
        return workload.path("spec").path("template");
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if (!labels.path(entry.getKey()).equals(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private List<JsonNode> selectedWorkloads(JsonNode selector) {
        List<JsonNode> selected = new ArrayList<>();
        for (ObjectNode object : objects) {
            if (WORKLOADS.contains(object.path("kind").asText())
                    && selects(selector, podTemplate(object).path("metadata").path("labels"))) {
                selected.add(object);
            }
        }
        return selected;
    }

    private Set<String> dataKeys(JsonNode configMapOrSecret) {
        Set<String> keys = new LinkedHashSet<>();
        configMapOrSecret.path("data").fieldNames().forEachRemaining(keys::add);
        configMapOrSecret.path("stringData").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private void run() {
        List<ObjectNode> namespaces = ofKind("Namespace");
        if (namespaces.size() != 1) {
            problems.add("expected one Namespace, found " + namespaces.size());
        }
        for (ObjectNode object : objects) {
            if (!object.hasNonNull("apiVersion")
                    || !object.hasNonNull("kind")
                    || !object.path("metadata").hasNonNull("name")) {
                problems.add("object without apiVersion, kind or metadata.name: " + object);
            }
        }
        objects.stream()
                .filter(o -> WORKLOADS.contains(o.path("kind").asText()))
                .forEach(this::checkWorkload);
        ofKind("Service").forEach(this::checkService);
        ofKind("PodDisruptionBudget").forEach(pdb -> {
            if (selectedWorkloads(pdb.path("spec").path("selector").path("matchLabels"))
                    .isEmpty()) {
                problem(
                        pdb,
                        "selector " + pdb.path("spec").path("selector").path("matchLabels")
                                + " matches no Deployment or StatefulSet pods");
            }
        });
        ofKind("ScaledObject").forEach(this::checkScaledObject);
        ofKind("TriggerAuthentication").forEach(auth -> {
            for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
                checkSecretKey(auth, ref.path("name").asText(), ref.path("key").asText());
            }
        });
    }

    private void checkSecretKey(JsonNode object, String name, String key) {
        JsonNode secret = find("Secret", name);
        if (secret == null) {
            problem(object, "refers to Secret " + name + ", which does not exist");
        } else if (key != null && !dataKeys(secret).contains(key)) {
            problem(object, "refers to key " + key + " of Secret " + name + ", which has " + dataKeys(secret));
        }
    }

    private void checkConfigMapKey(JsonNode object, String name, String key) {
        JsonNode configMap = find("ConfigMap", name);
        if (configMap == null) {
            problem(object, "refers to ConfigMap " + name + ", which does not exist");
        } else if (key != null && !dataKeys(configMap).contains(key)) {
            problem(object, "refers to key " + key + " of ConfigMap " + name + ", which has " + dataKeys(configMap));
        }
    }

    private void checkWorkload(JsonNode workload) {
        JsonNode selector = workload.path("spec").path("selector").path("matchLabels");
        JsonNode labels = podTemplate(workload).path("metadata").path("labels");
        if (!selects(selector, labels)) {
            problem(workload, "selector " + selector + " does not match its pod labels " + labels);
        }
        JsonNode pod = podTemplate(workload).path("spec");
        Map<String, JsonNode> volumes = new HashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            volumes.put(volume.path("name").asText(), volume);
            if (volume.has("configMap")) {
                String name = volume.path("configMap").path("name").asText();
                checkConfigMapKey(workload, name, null);
                for (JsonNode item : volume.path("configMap").path("items")) {
                    checkConfigMapKey(workload, name, item.path("key").asText());
                }
            }
            if (volume.has("secret")) {
                String name = volume.path("secret").path("secretName").asText();
                checkSecretKey(workload, name, null);
                for (JsonNode item : volume.path("secret").path("items")) {
                    checkSecretKey(workload, name, item.path("key").asText());
                }
            }
            if (volume.has("persistentVolumeClaim")
                    && find(
                                    "PersistentVolumeClaim",
                                    volume.path("persistentVolumeClaim")
                                            .path("claimName")
                                            .asText())
                            == null) {
                problem(
                        workload,
                        "volume " + volume.path("name").asText() + " claims "
                                + volume.path("persistentVolumeClaim")
                                        .path("claimName")
                                        .asText() + ", which does not exist");
            }
        }
        for (JsonNode template : workload.path("spec").path("volumeClaimTemplates")) {
            volumes.put(template.path("metadata").path("name").asText(), template);
        }
        if (workload.path("kind").asText().equals("StatefulSet")) {
            JsonNode service =
                    find("Service", workload.path("spec").path("serviceName").asText());
            if (service == null
                    || !service.path("spec").path("clusterIP").asText().equals("None")) {
                problem(
                        workload,
                        "serviceName "
                                + workload.path("spec").path("serviceName").asText()
                                + " is not a headless Service here");
            }
        }
        for (JsonNode container : pod.path("initContainers")) {
            checkMounts(workload, "init container " + container.path("name").asText() + ": ", container, volumes);
        }
        for (JsonNode container : pod.path("containers")) {
            checkContainer(workload, container, volumes);
        }
    }

    /** The container's mounts, by mount path, after checking each names a volume of the pod. */
    private Map<String, String> checkMounts(
            JsonNode workload, String where, JsonNode container, Map<String, JsonNode> volumes) {
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            if (!volumes.containsKey(mount.path("name").asText())) {
                problem(
                        workload,
                        where + "mounts volume " + mount.path("name").asText() + ", which the pod does not have");
            }
            mounts.put(mount.path("mountPath").asText(), mount.path("name").asText());
        }
        return mounts;
    }

    private void checkContainer(JsonNode workload, JsonNode container, Map<String, JsonNode> volumes) {
        String where = "container " + container.path("name").asText() + ": ";
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode port : container.path("ports")) {
            ports.put(port.path("name").asText(), port.path("containerPort").asInt());
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            if (container.path(probe).isMissingNode()) {
                if (!probe.equals("startupProbe")) {
                    problem(workload, where + "has no " + probe);
                }
                continue;
            }
            JsonNode port = get.path("port");
            boolean declared = port.isInt() ? ports.containsValue(port.asInt()) : ports.containsKey(port.asText());
            if (!declared) {
                problem(
                        workload,
                        where + probe + " probes port " + port + ", which the container does not declare " + ports);
            }
            String expected = probe.equals("readinessProbe") ? "/health/ready" : "/health/live";
            if (!get.path("path").asText().equals(expected)) {
                problem(workload, where + probe + " probes " + get.path("path").asText() + " instead of " + expected);
            }
        }
        Map<String, String> mounts = checkMounts(workload, where, container, volumes);
        Map<String, String> env = new HashMap<>();
        Set<String> secretEnv = new LinkedHashSet<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            env.put(name, variable.path("value").asText(null));
            JsonNode from = variable.path("valueFrom");
            if (from.has("secretKeyRef")) {
                checkSecretKey(
                        workload,
                        from.path("secretKeyRef").path("name").asText(),
                        from.path("secretKeyRef").path("key").asText());
                secretEnv.add(name);
            }
            if (from.has("configMapKeyRef")) {
                checkConfigMapKey(
                        workload,
                        from.path("configMapKeyRef").path("name").asText(),
                        from.path("configMapKeyRef").path("key").asText());
            }
        }
        for (JsonNode from : container.path("envFrom")) {
            JsonNode source = from.has("secretRef")
                    ? find("Secret", from.path("secretRef").path("name").asText())
                    : find("ConfigMap", from.path("configMapRef").path("name").asText());
            if (source == null) {
                problem(workload, where + "envFrom " + from + " names nothing that exists");
            } else {
                dataKeys(source).forEach(key -> env.putIfAbsent(key, null));
            }
        }
        checkSettings(workload, where, container, env, secretEnv, mounts, volumes, ports);
    }

    private void checkSettings(
            JsonNode workload,
            String where,
            JsonNode container,
            Map<String, String> env,
            Set<String> secretEnv,
            Map<String, String> mounts,
            Map<String, JsonNode> volumes,
            Map<String, Integer> ports) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        List<String> path = ServiceCommands.commandPath(args);
        if (path.isEmpty()) {
            problem(workload, where + "runs no posestream command (args " + args + ")");
            return;
        }
        CommandSpec command = commands.find(path);
        if (command == null) {
            problem(workload, where + "runs `posestream " + String.join(" ", path) + "`, which does not exist");
            return;
        }
        String flags = ServiceCommands.checkFlags(command, args);
        if (flags != null) {
            problem(workload, where + flags);
        }
        for (String variable : env.keySet()) {
            String bad = ServiceCommands.checkEnvironment(command, variable);
            if (bad != null) {
                problem(workload, where + bad);
            }
        }
        Properties file = configFile(workload, where, env.get("POSESTREAM_CONFIG"), mounts, volumes);
        for (String key : file.stringPropertyNames()) {
            String bad = ServiceCommands.checkFileKey(command, key);
            if (bad != null) {
                problem(workload, where + bad);
            }
        }
        boolean serves = ServiceCommands.keys(command).contains(ServiceCommands.METRICS_PORT);
        String name = path.get(0);
        if (!serves) {
            problem(workload, where + "probes port 'metrics' but `" + name + "` has no --metrics-port");
        } else {
            String value = file.getProperty(
                    ServiceCommands.METRICS_PORT,
                    ServiceCommands.envOrDefault(command, plain(env), ServiceCommands.METRICS_PORT));
            if (!Integer.valueOf(Integer.parseInt(value)).equals(ports.get("metrics"))) {
                problem(
                        workload,
                        where + "serves metrics on " + value + " but declares port 'metrics' " + ports.get("metrics"));
            }
        }
        String cameras = file.getProperty("cameras");
        if (cameras != null) {
            checkCameraPasswords(workload, where, cameras, mounts, volumes, secretEnv);
        }
    }

    private static Map<String, String> plain(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        env.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        return values;
    }

    /** The text of the file at {@code path} when a ConfigMap volume provides it, else null. */
    private String mountedText(
            JsonNode workload, String where, String path, Map<String, String> mounts, Map<String, JsonNode> volumes) {
        Path file = Path.of(path);
        String volumeName = mounts.get(String.valueOf(file.getParent()));
        JsonNode volume = volumeName == null ? null : volumes.get(volumeName);
        if (volume == null || !volume.has("configMap")) {
            problem(workload, where + path + " is not in a ConfigMap mounted at " + file.getParent());
            return null;
        }
        String key = file.getFileName().toString();
        for (JsonNode item : volume.path("configMap").path("items")) {
            if (item.path("path").asText().equals(key)) {
                key = item.path("key").asText();
            }
        }
        JsonNode configMap =
                find("ConfigMap", volume.path("configMap").path("name").asText());
        JsonNode text = configMap == null ? null : configMap.path("data").get(key);
        if (text == null) {
            problem(
                    workload,
                    where + path + " is not in ConfigMap "
                            + volume.path("configMap").path("name").asText());
            return null;
        }
        return text.asText();
    }

    private Properties configFile(
            JsonNode workload, String where, String path, Map<String, String> mounts, Map<String, JsonNode> volumes) {
        Properties properties = new Properties();
        if (path == null) {
            return properties;
        }
        String text = mountedText(workload, where, path, mounts, volumes);
        if (text != null) {
            try {
                properties.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    private void checkCameraPasswords(
            JsonNode workload,
            String where,
            String path,
            Map<String, String> mounts,
            Map<String, JsonNode> volumes,
            Set<String> secretEnv) {
        String text = mountedText(workload, where, path, mounts, volumes);
        if (text == null) {
            return;
        }
        try {
            for (JsonNode camera : Kustomize.YAML.readTree(text)) {
                String passwordEnv = camera.path("passwordEnv").asText(null);
                if (passwordEnv != null && !secretEnv.contains(passwordEnv)) {
                    problem(
                            workload,
                            where + "camera " + camera.path("id").asText() + " reads its password from " + passwordEnv
                                    + ", which the container does not get from a Secret");
                }
            }
        } catch (IOException e) {
            problem(workload, where + path + " is not valid YAML: " + e.getMessage());
        }
    }

    private void checkService(JsonNode service) {
        JsonNode selector = service.path("spec").path("selector");
        List<JsonNode> pods = selectedWorkloads(selector);
        if (pods.isEmpty()) {
            problem(service, "selector " + selector + " matches no Deployment or StatefulSet pods");
            return;
        }
        for (JsonNode port : service.path("spec").path("ports")) {
            JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
            for (JsonNode workload : pods) {
                boolean found = false;
                for (JsonNode container : podTemplate(workload).path("spec").path("containers")) {
                    for (JsonNode declared : container.path("ports")) {
                        found |= target.isInt()
                                ? declared.path("containerPort").asInt() == target.asInt()
                                : declared.path("name").asText().equals(target.asText());
                    }
                }
                if (!found) {
                    problem(
                            service,
                            "port " + port.path("name").asText() + " targets " + target + ", which "
                                    + workload.path("metadata").path("name").asText() + " does not declare");
                }
            }
        }
    }

    private void checkScaledObject(JsonNode scaler) {
        String target = scaler.path("spec").path("scaleTargetRef").path("name").asText();
        String kind = scaler.path("spec").path("scaleTargetRef").path("kind").asText("Deployment");
        if (find(kind, target) == null) {
            problem(scaler, "scales " + kind + " " + target + ", which does not exist");
        }
        String namespace = scaler.path("metadata").path("namespace").asText();
        for (JsonNode trigger : scaler.path("spec").path("triggers")) {
            if (trigger.path("type").asText().equals("prometheus")) {
                // kustomize's namespace does not reach into the query: it must name the namespace by hand.
                String query = trigger.path("metadata").path("query").asText();
                if (!query.contains("namespace=\"" + namespace + "\"")) {
                    problem(scaler, "Prometheus query does not select namespace=\"" + namespace + "\": " + query);
                }
            }
            String auth = trigger.path("authenticationRef").path("name").asText(null);
            if (auth != null && find("TriggerAuthentication", auth) == null) {
                problem(scaler, "authenticationRef " + auth + " does not exist");
            }
        }
    }
}
