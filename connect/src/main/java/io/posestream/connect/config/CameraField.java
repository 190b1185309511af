package io.posestream.connect.config;

import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The camera settings a connector can give for all its cameras ({@code fps}) and override per camera
 * ({@code camera.<id>.fps}): the same fields as the {@code ingest} camera file, under Connect-style names. Defaults
 * and rules are {@link CameraConfig}'s own: a field's validator builds a camera with that one value, so the connector
 * and the camera file can never disagree about what is valid.
 */
public enum CameraField {
    FPS(
            "fps",
            "fps",
            Type.DOUBLE,
            CameraConfig.DEFAULT_FPS,
            "Target frames per second, sampled by presentation timestamp.",
            "0 < fps <= 240",
            (b, v) -> b.fps((Double) v)),
    MAX_WIDTH(
            "max.width",
            "maxWidth",
            Type.INT,
            CameraConfig.DEFAULT_MAX_WIDTH,
            "Downscale wider frames to this width, aspect kept; 0 = source size.",
            "0 or 16..8192",
            (b, v) -> b.maxWidth((Integer) v)),
    JPEG_QUALITY(
            "jpeg.quality",
            "jpegQuality",
            Type.INT,
            CameraConfig.DEFAULT_JPEG_QUALITY,
            "JPEG quality.",
            "1..100",
            (b, v) -> b.jpegQuality((Integer) v)),
    TRANSPORT(
            "transport",
            "transport",
            Type.STRING,
            CameraConfig.DEFAULT_TRANSPORT,
            "RTSP transport: tcp (no packet loss, passes NAT) or udp.",
            "tcp, udp",
            (b, v) -> b.transport((String) v)),
    TIMEOUT_MS(
            "timeout.ms",
            "timeoutMs",
            Type.LONG,
            CameraConfig.DEFAULT_TIMEOUT_MS,
            "FFmpeg timeout for connect and reads: a frozen camera is noticed after this long.",
            "100..600000",
            (b, v) -> b.timeoutMs((Long) v)),
    RECONNECT_INITIAL_MS(
            "reconnect.initial.ms",
            "reconnectInitialMs",
            Type.LONG,
            CameraConfig.DEFAULT_RECONNECT_INITIAL_MS,
            "First reconnect delay, doubled after every failed attempt.",
            ">= 10",
            (b, v) -> b.reconnectInitialMs((Long) v)),
    RECONNECT_MAX_MS(
            "reconnect.max.ms",
            "reconnectMaxMs",
            Type.LONG,
            CameraConfig.DEFAULT_RECONNECT_MAX_MS,
            "Cap of the reconnect delay.",
            ">= reconnect.initial.ms",
            (b, v) -> b.reconnectMaxMs((Long) v)),
    DECODER_THREADS(
            "decoder.threads",
            "decoderThreads",
            Type.INT,
            CameraConfig.DEFAULT_DECODER_THREADS,
            "FFmpeg decoder threads, 0 = FFmpeg's choice; 1 gives the lowest latency.",
            "0..64",
            (b, v) -> b.decoderThreads((Integer) v)),
    LOOP(
            "loop",
            "loop",
            Type.BOOLEAN,
            CameraConfig.DEFAULT_LOOP,
            "Files: start again at the end (false: the camera finishes).",
            "",
            (b, v) -> b.loop((Boolean) v)),
    REALTIME(
            "realtime",
            "realtime",
            Type.BOOLEAN,
            CameraConfig.DEFAULT_REALTIME,
            "Files: pace at the file's own rate (false: as fast as it decodes).",
            "",
            (b, v) -> b.realtime((Boolean) v));

    private final String key;
    private final String fileKey;
    private final Type type;
    private final Object defaultValue;
    private final String doc;
    private final String validValues;
    private final BiConsumer<CameraConfig.Builder, Object> setter;

    CameraField(
            String key,
            String fileKey,
            Type type,
            Object defaultValue,
            String doc,
            String validValues,
            BiConsumer<CameraConfig.Builder, Object> setter) {
        this.key = key;
        this.fileKey = fileKey;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.validValues = validValues;
        this.setter = setter;
    }

    /** The connector's name for the field ({@code max.width}); per camera {@code camera.<id>.max.width}. */
    public String key() {
        return key;
    }

    /** The camera file's name for the field ({@code maxWidth}), as {@link CameraConfigException#key()} names it. */
    public String fileKey() {
        return fileKey;
    }

    public Type type() {
        return type;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** Sets this field on a camera being built. */
    public void apply(CameraConfig.Builder builder, Object value) {
        setter.accept(builder, value);
    }

    /** The field of a camera-file key, or null when the key is not one of these (url, username, ...). */
    public static CameraField ofFileKey(String fileKey) {
        for (CameraField field : values()) {
            if (field.fileKey.equals(fileKey)) {
                return field;
            }
        }
        return null;
    }

    /** A validator applying {@link CameraConfig}'s rule for this field alone; null passes (= not overridden). */
    public ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                // The pair's order is checked with the whole camera: here each delay is checked alone.
                CameraConfig.Builder probe = CameraConfig.builder("probe", "rtsp://probe/stream")
                        .reconnectInitialMs(10)
                        .reconnectMaxMs(Long.MAX_VALUE);
                try {
                    apply(probe, value);
                    probe.build();
                } catch (CameraConfigException e) {
                    throw new ConfigException(name, value, withoutCamera(e.getMessage()));
                }
            }

            @Override
            public String toString() {
                return validValues;
            }
        };
    }

    /** A {@link CameraConfig} error without its leading {@code camera 'id': }. */
    static String withoutCamera(String message) {
        if (message.startsWith("camera '")) {
            int end = message.indexOf("': ");
            if (end > 0) {
                return message.substring(end + 3);
            }
        }
        return message;
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
