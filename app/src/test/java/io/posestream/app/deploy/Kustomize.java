package io.posestream.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a Kustomize directory the way {@code kubectl kustomize} does for the features posestream's manifests use
 * (resources as files or directories, strategic-merge patches by kind and name, {@code $patch: delete}, namespace),
 * so the checks run on
 * what would be applied without needing kubectl. Fails naming the kustomization and entry that do not resolve.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PersistentVolume",
            "StorageClass");

    private Kustomize() {}

    /** Every document of a YAML file, as objects (empty documents skipped). */
    static List<ObjectNode> readAll(Path file) {
        List<ObjectNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add((ObjectNode) document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return documents;
    }

    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(dir + " has no kustomization.yaml");
        }
        JsonNode kustomization = readAll(file).get(0);
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else if (Files.isRegularFile(path)) {
                objects.addAll(readAll(path));
            } else {
                throw new IllegalStateException(
                        file + " names resource '" + resource.asText() + "', which does not exist");
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            Path path = dir.resolve(patch.path("path").asText()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(
                        file + " names patch '" + patch.path("path").asText() + "', which does not exist");
            }
            for (ObjectNode document : readAll(path)) {
                ObjectNode target = objects.stream()
                        .filter(o -> sameObject(o, document))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                path + " patches " + document.path("kind").asText() + " "
                                        + document.path("metadata").path("name").asText()
                                        + ", which the resources of " + file + " do not have"));
                if (document.path("$patch").asText().equals("delete")) {
                    objects.remove(target); // strategic merge's directive: the object is dropped
                } else {
                    merge(target, document);
                }
            }
        }
        if (kustomization.hasNonNull("namespace")) {
            for (ObjectNode object : objects) {
                if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
                    ((ObjectNode) object.get("metadata"))
                            .put("namespace", kustomization.get("namespace").asText());
                }
            }
        }
        return objects;
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("kind").equals(b.path("kind"))
                && a.path("metadata").path("name").equals(b.path("metadata").path("name"));
    }

    /**
     * Strategic merge as Kubernetes does it for these manifests: objects merge field by field, lists of named
     * objects (containers, env, volumes, ports) merge by name, other lists and values are replaced.
     */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode existing = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (existing instanceof ObjectNode existingObject && value.isObject()) {
                merge(existingObject, value);
            } else if (existing instanceof ArrayNode existingArray
                    && value.isArray()
                    && allNamed(value)
                    && allNamed(existing)) {
                for (JsonNode item : value) {
                    ObjectNode match = null;
                    for (JsonNode candidate : existingArray) {
                        if (candidate.path("name").equals(item.path("name"))) {
                            match = (ObjectNode) candidate;
                        }
                    }
                    if (match == null) {
                        existingArray.add(item.deepCopy());
                    } else {
                        merge(match, item);
                    }
                }
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean allNamed(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject() || !item.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }
}
