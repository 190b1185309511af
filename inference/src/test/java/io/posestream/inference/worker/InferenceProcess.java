package io.posestream.inference.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;

/** An inference worker in a child JVM, so a test can kill it as abruptly as a crashed machine (SIGKILL). */
public final class InferenceProcess {
    private InferenceProcess() {}

    /** Arguments are the worker's settings as {@code key=value}. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new InferenceWorker(new InferenceConfig(settings), new SimpleMeterRegistry()).start();
        Thread.currentThread().join();
    }
}
