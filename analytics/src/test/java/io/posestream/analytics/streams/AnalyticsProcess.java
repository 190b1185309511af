package io.posestream.analytics.streams;

import java.util.HashMap;
import java.util.Map;

/** The analytics in a child JVM, so a test can kill it as abruptly as a crashed machine (SIGKILL). */
public final class AnalyticsProcess {
    private AnalyticsProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new AnalyticsApp(new AnalyticsAppConfig(settings)).start();
        Thread.currentThread().join();
    }
}
