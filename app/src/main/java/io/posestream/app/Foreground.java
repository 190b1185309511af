package io.posestream.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a server command in the foreground until Ctrl-C (JVM shutdown) or interruption, then closes it once. */
final class Foreground {
    private Foreground() {
    }

    static void runUntilStopped(AutoCloseable server) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(server);
            stopped.countDown();
        }, "posestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it closes the server.
            }
            server.close();
        }
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Foreground.class).warn("Error while stopping: {}", e.toString());
        }
    }
}
