package io.posestream.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the test's working directory (the app module under Maven). */
public final class Repository {
    private Repository() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root (docker-compose.yml and deploy/) above "
                + Path.of("").toAbsolutePath());
    }
}
