package io.posestream.tracker.streams;

import java.util.HashMap;
import java.util.Map;

/** The tracker in a child JVM, so a test can kill it as abruptly as a crashed machine (SIGKILL). */
public final class TrackerProcess {
    private TrackerProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new TrackerApp(new TrackerAppConfig(settings)).start();
        Thread.currentThread().join();
    }
}
