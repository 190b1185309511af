package io.posestream.ingest.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One camera of the ingest, with every setting's default in one place ({@link Builder}). Keys in the camera file
 * are the builder's method names. Validated when built; an error names the camera and the key.
 *
 * @param id             camera id: the record key on the frame topic and the {@code camera} tag of metrics
 * @param url            {@code rtsp://}, {@code rtsps://}, {@code file:} URL or a plain file path
 * @param fps            target frames per second, sampled by presentation timestamp
 * @param maxWidth       downscale wider frames to this width (aspect kept); 0 = keep the source size
 * @param jpegQuality    JPEG quality 1..100
 * @param transport      RTSP transport
 * @param loop           files: start again at the end
 * @param realtime       files: pace reading at the file's own rate (false = as fast as possible)
 * @param timeout        FFmpeg {@code timeout}: longest wait for the network before a read or connect gives up
 * @param reconnectInitial first reconnect delay; doubled on every failed attempt
 * @param reconnectMax   cap of the reconnect delay
 * @param decoderThreads FFmpeg decoder threads (0 = FFmpeg's choice); 1 gives the lowest latency
 * @param username       optional user name for RTSP authentication
 * @param passwordEnv    optional name of the environment variable holding the password (never the password)
 */
@JsonDeserialize(builder = CameraConfig.Builder.class)
public record CameraConfig(
        String id,
        String url,
        double fps,
        int maxWidth,
        int jpegQuality,
        Transport transport,
        boolean loop,
        boolean realtime,
        Duration timeout,
        Duration reconnectInitial,
        Duration reconnectMax,
        int decoderThreads,
        String username,
        String passwordEnv) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static final double DEFAULT_FPS = 5.0;
    public static final int DEFAULT_MAX_WIDTH = 0;
    public static final int DEFAULT_JPEG_QUALITY = 80;
    public static final String DEFAULT_TRANSPORT = "tcp";
    public static final boolean DEFAULT_LOOP = false;
    public static final boolean DEFAULT_REALTIME = true;
    public static final long DEFAULT_TIMEOUT_MS = 5000;
    public static final long DEFAULT_RECONNECT_INITIAL_MS = 500;
    public static final long DEFAULT_RECONNECT_MAX_MS = 30_000;
    public static final int DEFAULT_DECODER_THREADS = 1;

    public static Builder builder(String id, String url) {
        return new Builder().id(id).url(url);
    }

    /** Settings with their defaults; {@link #build()} validates. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String id;
        private String url;
        private double fps = DEFAULT_FPS;
        private int maxWidth = DEFAULT_MAX_WIDTH;
        private int jpegQuality = DEFAULT_JPEG_QUALITY;
        private String transport = DEFAULT_TRANSPORT;
        private boolean loop = DEFAULT_LOOP;
        private boolean realtime = DEFAULT_REALTIME;
        private long timeoutMs = DEFAULT_TIMEOUT_MS;
        private long reconnectInitialMs = DEFAULT_RECONNECT_INITIAL_MS;
        private long reconnectMaxMs = DEFAULT_RECONNECT_MAX_MS;
        private int decoderThreads = DEFAULT_DECODER_THREADS;
        private String username;
        private String passwordEnv;

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder fps(double fps) {
            this.fps = fps;
            return this;
        }

        public Builder maxWidth(int maxWidth) {
            this.maxWidth = maxWidth;
            return this;
        }

        public Builder jpegQuality(int jpegQuality) {
            this.jpegQuality = jpegQuality;
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        public Builder realtime(boolean realtime) {
            this.realtime = realtime;
            return this;
        }

        public Builder timeoutMs(long timeoutMs) {
            this.timeoutMs = timeoutMs;
            return this;
        }

        public Builder reconnectInitialMs(long reconnectInitialMs) {
            this.reconnectInitialMs = reconnectInitialMs;
            return this;
        }

        public Builder reconnectMaxMs(long reconnectMaxMs) {
            this.reconnectMaxMs = reconnectMaxMs;
            return this;
        }

        public Builder decoderThreads(int decoderThreads) {
            this.decoderThreads = decoderThreads;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder passwordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
            return this;
        }

        public CameraConfig build() {
            if (id == null || !ID.matcher(id).matches()) {
                throw new CameraConfigException(
                        "camera id " + (id == null ? "is missing" : "'" + id + "' is invalid")
                                + ": use 1-64 letters, digits, '.', '_' or '-'",
                        "id");
            }
            String where = "camera '" + id + "': ";
            if (url == null || url.isBlank()) {
                throw new CameraConfigException(where + "url is missing", "url");
            }
            if (!(fps > 0 && fps <= 240)) {
                throw new CameraConfigException(where + "fps must be > 0 and <= 240, got " + fps, "fps");
            }
            if (maxWidth != 0 && (maxWidth < 16 || maxWidth > 8192)) {
                throw new CameraConfigException(
                        where + "maxWidth must be 0 (source size) or 16..8192, got " + maxWidth, "maxWidth");
            }
            if (jpegQuality < 1 || jpegQuality > 100) {
                throw new CameraConfigException(
                        where + "jpegQuality must be 1..100, got " + jpegQuality, "jpegQuality");
            }
            Transport parsedTransport;
            try {
                parsedTransport = Transport.valueOf(String.valueOf(transport).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CameraConfigException(
                        where + "transport must be tcp or udp, got '" + transport + "'", "transport");
            }
            if (timeoutMs < 100 || timeoutMs > 600_000) {
                throw new CameraConfigException(where + "timeoutMs must be 100..600000, got " + timeoutMs, "timeoutMs");
            }
            if (reconnectInitialMs < 10 || reconnectMaxMs < reconnectInitialMs) {
                throw new CameraConfigException(
                        where + "reconnectInitialMs must be >= 10 and reconnectMaxMs >= reconnectInitialMs, got "
                                + reconnectInitialMs + " and " + reconnectMaxMs,
                        reconnectInitialMs < 10 ? "reconnectInitialMs" : "reconnectMaxMs");
            }
            if (decoderThreads < 0 || decoderThreads > 64) {
                throw new CameraConfigException(
                        where + "decoderThreads must be 0..64, got " + decoderThreads, "decoderThreads");
            }
            if (passwordEnv != null && !ENV_NAME.matcher(passwordEnv).matches()) {
                throw new CameraConfigException(
                        where + "passwordEnv must be the name of an environment variable, not a value (letters, "
                                + "digits, '_')",
                        "passwordEnv");
            }
            if (passwordEnv != null && username == null) {
                throw new CameraConfigException(where + "passwordEnv needs username", "username");
            }
            return new CameraConfig(
                    id,
                    url.trim(),
                    fps,
                    maxWidth,
                    jpegQuality,
                    parsedTransport,
                    loop,
                    realtime,
                    Duration.ofMillis(timeoutMs),
                    Duration.ofMillis(reconnectInitialMs),
                    Duration.ofMillis(reconnectMaxMs),
                    decoderThreads,
                    username,
                    passwordEnv);
        }
    }

    /** Never prints the URL's credentials. */
    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", url=" + CameraUrls.mask(url) + ", fps=" + fps + ", maxWidth=" + maxWidth
                + ", jpegQuality=" + jpegQuality + ", transport=" + transport + ", loop=" + loop + ", realtime="
                + realtime + ", timeout=" + timeout + "]";
    }
}
