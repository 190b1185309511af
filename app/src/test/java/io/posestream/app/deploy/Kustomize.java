package io.posestream.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.posestream.app.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Renders deploy/k8s with the real {@code kubectl kustomize} (kubectl's built-in kustomize 5.x), so the checks run
 * on exactly what {@code kubectl apply -k} would send. Renders are cached per directory: the files do not change
 * during a test run.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path K8S = Repository.root().resolve("deploy/k8s");
    static final Path LOCAL_SECRETS = K8S.resolve("components/local-secrets");
    private static final Map<Path, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();
    private static final Map<Path, Path> WITH_SECRETS = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The rendered objects of a kustomization directory (a fresh copy the caller may change). */
    static List<ObjectNode> render(Path dir) {
        List<ObjectNode> objects = RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), Kustomize::kubectl);
        List<ObjectNode> copy = new ArrayList<>();
        objects.forEach(o -> copy.add(o.deepCopy()));
        return copy;
    }

    /**
     * {@code overlay} rendered with the local-secrets component, its untracked files filled from the tracked
     * {@code *.example} templates and a CA bundle: what a cluster gets once its Secrets exist.
     */
    static List<ObjectNode> renderWithSecrets(Path overlay) {
        return render(WITH_SECRETS.computeIfAbsent(overlay.toAbsolutePath().normalize(), Kustomize::withSecrets));
    }

    private static Path withSecrets(Path overlay) {
        try {
            Path dir = Files.createTempDirectory(Repository.root().resolve("app/target"), "kustomize-");
            Path component = Files.createDirectories(dir.resolve("local-secrets"));
            Files.copy(LOCAL_SECRETS.resolve("kustomization.yaml"), component.resolve("kustomization.yaml"));
            try (Stream<Path> templates = Files.list(LOCAL_SECRETS)) {
                for (Path template :
                        templates.filter(f -> f.toString().endsWith(".example")).toList()) {
                    String name = template.getFileName().toString();
                    Files.copy(template, component.resolve(name.substring(0, name.length() - ".example".length())));
                }
            }
            Files.writeString(
                    component.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n");
            // kustomize refuses absolute resource paths: name the overlay relative to the temporary directory.
            Files.writeString(
                    dir.resolve("kustomization.yaml"),
                    "resources:\n  - " + dir.relativize(overlay.toAbsolutePath()) + "\ncomponents:\n"
                            + "  - local-secrets\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ObjectNode> kubectl(Path dir) {
        Path kubectl = Tools.require("kubectl", "scripts/setup.sh installs it (kubectl >= 1.27 with kustomize 5)");
        Tools.Result result = Tools.run(List.of(kubectl.toString(), "kustomize", dir.toString()), null, null);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    "kubectl kustomize " + dir + " failed: " + result.err().strip());
        }
        return parseAll(result.out());
    }

    /** Every document of a YAML text, as objects (empty documents skipped). */
    static List<ObjectNode> parseAll(String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add((ObjectNode) document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse kustomize output: " + e.getMessage(), e);
        }
        return documents;
    }
}
