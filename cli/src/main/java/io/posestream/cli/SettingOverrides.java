package io.posestream.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --setting KEY=VALUE}: any other setting of the command's service or its Kafka clients. */
public final class SettingOverrides {
    @Option(
            names = "--setting",
            paramLabel = "KEY=VALUE",
            description = "Any other setting of this service (its docs page lists them, e.g. docs/inference.md) or "
                    + "of its Kafka clients; repeatable. A misspelt key of the service's own prefix is refused.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The settings given, in the order given. */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
