package io.posestream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line describing the machine a benchmark ran on. */
public final class MachineInfo {
    private MachineInfo() {}

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
        } catch (IOException e) {
            // not Linux: keep "unknown CPU"
        }
        Runtime runtime = Runtime.getRuntime();
        return String.format(
                "%s, %d cores, JVM %s %s, max heap %d MiB, %s %s",
                cpu,
                runtime.availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                runtime.maxMemory() / (1024 * 1024),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }
}
