package io.posestream.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the operating system says about a process at one moment (Linux {@code /proc}): resident memory, threads and
 * open file descriptors. A process that is gone reads as -1 everywhere.
 *
 * @param rssBytes  resident set size ({@code VmRSS})
 * @param threads   threads ({@code Threads})
 * @param openFiles entries of {@code /proc/PID/fd} (files, sockets, pipes)
 */
public record ProcessSample(long rssBytes, int threads, int openFiles) {
    /** Reads the process now. */
    public static ProcessSample of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = -1;
        int threads = -1;
        int files = -1;
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                files = (int) fds.count();
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return new ProcessSample(rss, threads, files);
    }
}
