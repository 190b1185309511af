package io.posestream.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

/**
 * The image build files read as Docker reads them (no Docker engine runs here, so no image is built by the tests):
 * every base image pinned by digest, the Maven dependencies in a layer of their own that only POMs invalidate (every
 * module's POM in it), no anonymous VOLUME, and build contexts without build outputs.
 */
class ImageBuildFilesTest {
    private static final Path ROOT = Repository.root();
    private static final List<Path> DOCKERFILES =
            List.of(ROOT.resolve("deploy/Dockerfile"), ROOT.resolve("deploy/camera/Dockerfile"));
    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");

    /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                out.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        return out;
    }

    /** Why a Dockerfile's FROM lines are not all pinned stages or digests, one line each. */
    static List<String> unpinnedBases(Path dockerfile) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        List<String> stages = new ArrayList<>();
        for (String instruction : instructions(dockerfile)) {
            String[] words = instruction.split("\\s+");
            if (words[0].equals("ARG") && words[1].contains("=") && stages.isEmpty()) {
                String[] kv = words[1].split("=", 2);
                args.put(kv[0], kv[1]);
            }
            if (!words[0].equals("FROM")) {
                continue;
            }
            String image = words[1];
            Matcher arg = Pattern.compile("^\\$\\{(\\w+)}$").matcher(image);
            if (arg.matches()) {
                image = args.getOrDefault(arg.group(1), "");
            }
            if (!stages.contains(image) && !DIGEST.matcher(image).find()) {
                problems.add(dockerfile.getFileName() + ": FROM " + words[1] + " (" + image + ") has no digest");
            }
            if (words.length == 4 && words[2].equalsIgnoreCase("AS")) {
                stages.add(words[3]);
            }
        }
        return problems;
    }

    @Test
    void everyBaseImageIsPinnedByDigest() throws IOException {
        for (Path dockerfile : DOCKERFILES) {
            assertThat(unpinnedBases(dockerfile)).as(dockerfile.toString()).isEmpty();
        }
        Path tagOnly = Files.createTempFile(ROOT.resolve("app/target"), "Dockerfile", "");
        Files.writeString(
                tagOnly,
                "ARG BASE=eclipse-temurin:17-jre\nFROM ${BASE} AS runtime\nFROM runtime\nFROM debian:bookworm-slim\n");
        assertThat(unpinnedBases(tagOnly))
                .containsExactly(
                        tagOnly.getFileName() + ": FROM ${BASE} (eclipse-temurin:17-jre) has no digest",
                        tagOnly.getFileName() + ": FROM debian:bookworm-slim (debian:bookworm-slim) has no digest");
    }

    @Test
    void theMavenDependenciesLayerNeedsOnlyThePomsOfEveryModule() throws Exception {
        List<String> instructions = instructions(ROOT.resolve("deploy/Dockerfile"));
        int firstBuild = -1;
        int copyAll = -1;
        List<String> copiedBeforeBuild = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            String instruction = instructions.get(i);
            if (instruction.startsWith("RUN mvn") && firstBuild < 0) {
                firstBuild = i;
            }
            if (instruction.equals("COPY . .")) {
                copyAll = i;
            }
            if (instruction.startsWith("COPY ") && firstBuild < 0) {
                copiedBeforeBuild.add(instruction.split("\\s+")[1]);
            }
        }
        assertThat(firstBuild).as("a RUN mvn").isPositive();
        assertThat(copyAll).as("the sources come after the dependency layer").isGreaterThan(firstBuild);
        // Only build descriptions before the first build: POMs, Maven's own config, and the schemas the POM names.
        assertThat(copiedBeforeBuild)
                .allSatisfy(
                        source -> assertThat(source).matches("pom\\.xml|.*/pom\\.xml|\\.mvn|schemas/src/main/avro"));
        for (String module : modules(ROOT)) {
            assertThat(copiedBeforeBuild).as("module " + module + "'s POM").contains(module + "/pom.xml");
        }
        assertThat(copiedBeforeBuild).contains("pom.xml", ".mvn");
        // The build after the sources runs offline: anything the dependency layer missed fails the build.
        assertThat(instructions.get(copyAll + 1)).startsWith("RUN mvn").contains(" -o ");
    }

    private static List<String> modules(Path root) throws Exception {
        var document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(root.resolve("pom.xml").toFile());
        NodeList nodes = document.getElementsByTagName("module");
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().strip());
        }
        return modules;
    }

    @Test
    void noImageDeclaresAnAnonymousVolume() throws IOException {
        for (Path dockerfile : DOCKERFILES) {
            assertThat(instructions(dockerfile)).as(dockerfile.toString()).noneMatch(i -> i.startsWith("VOLUME"));
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputsAndLocalSecrets() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        assertThat(ignored).contains("**/target", "**/node_modules", ".git", "deploy/k8s");
    }
}
