package io.posestream.ingest.source;

import io.posestream.ingest.config.CameraUrls;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's native log lines through slf4j (logger {@code io.posestream.ingest.ffmpeg}) instead of raw stderr,
 * with every known secret and URL password masked: FFmpeg prints URLs in some of its messages. Errors are logged
 * at WARN, at most a few a minute (a corrupt stream can print hundreds); the rest go to DEBUG.
 */
public final class FfmpegLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.posestream.ingest.ffmpeg");
    private static final CopyOnWriteArrayList<String> SECRETS = new CopyOnWriteArrayList<>();
    private static final long WARN_WINDOW_NANOS = 60_000_000_000L;
    private static final int WARNS_PER_WINDOW = 10;
    private static final AtomicLong WINDOW_START = new AtomicLong(System.nanoTime());
    private static final AtomicLong WARNS_IN_WINDOW = new AtomicLong();
    private static volatile Bridge bridge;

    private FfmpegLog() {}

    /** Installs the bridge once per JVM. */
    public static synchronized void install() {
        if (bridge == null) {
            bridge = new Bridge();
            bridge.retainReference();
            // WARNING and up: INFO would add JavaCV's "rejected some options" notes on stderr for every connection.
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            avutil.setLogCallback(bridge);
        }
    }

    /** Secrets (passwords) to mask in FFmpeg's lines, added when a camera with credentials starts. */
    public static void addSecrets(List<String> secrets) {
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                SECRETS.addIfAbsent(secret);
            }
        }
    }

    static String clean(String line) {
        return CameraUrls.redact(line.strip(), SECRETS);
    }

    private static boolean warnAllowed() {
        long now = System.nanoTime();
        long start = WINDOW_START.get();
        if (now - start > WARN_WINDOW_NANOS && WINDOW_START.compareAndSet(start, now)) {
            WARNS_IN_WINDOW.set(0);
        }
        return WARNS_IN_WINDOW.incrementAndGet() <= WARNS_PER_WINDOW;
    }

    private static final class Bridge extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            String line = message.getString();
            if (line == null || line.isBlank()) {
                return;
            }
            if (level <= avutil.AV_LOG_ERROR && warnAllowed()) {
                LOG.warn("{}", clean(line));
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("{}", clean(line));
            }
        }
    }
}
