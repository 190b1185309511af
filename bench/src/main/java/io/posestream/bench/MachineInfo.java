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

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), e.g. {@code 3.92 12.89 15.91}. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
