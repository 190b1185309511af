package io.posestream.models;

import java.nio.file.Path;

/**
 * Where prepared and exported models live: {@code --models-dir} when given, else the environment variable
 * {@code POSESTREAM_MODELS_DIR}, else {@code ~/.posestream/models}. One place per user, whatever the working
 * directory, so a second run finds what the first one prepared.
 */
public final class ModelsDir {
    public static final String ENV = "POSESTREAM_MODELS_DIR";

    private ModelsDir() {}

    /** The models directory for an optional command-line value (null when the flag was not given). */
    public static Path resolve(Path flag) {
        if (flag != null) {
            return flag.toAbsolutePath().normalize();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".posestream", "models");
    }
}
