package io.posestream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Keeps a command in the foreground until Ctrl-C (JVM shutdown) or until the work says it is done, then closes what
 * it ran exactly once. On Ctrl-C the closing happens inside the shutdown hook, so the JVM waits for it (cameras
 * stop, producers flush) instead of exiting under it.
 */
public final class Foreground {
    private Foreground() {}

    /** Runs until Ctrl-C. */
    public static void runUntilStopped(AutoCloseable work) throws Exception {
        run(work, () -> false);
    }

    /** Runs until Ctrl-C or until {@code finished} is true (polled twice a second). */
    public static void run(AutoCloseable work, BooleanSupplier finished) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stopped.countDown();
                    closeOnce(work, closed);
                },
                "posestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
                if (finished.getAsBoolean()) {
                    break;
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeOnce(work, closed);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is closing it.
            }
        }
    }

    private static void closeOnce(AutoCloseable work, AtomicBoolean closed) {
        if (closed.compareAndSet(false, true)) {
            try {
                work.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Foreground.class).warn("Error while stopping: {}", e.toString());
            }
        }
    }
}
