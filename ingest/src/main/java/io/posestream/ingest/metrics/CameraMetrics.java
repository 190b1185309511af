package io.posestream.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.posestream.ingest.CameraState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One camera's meters, all tagged {@code camera=<id>}. Names (Prometheus form in docs/ingest.md):
 * {@code posestream.ingest.camera.state} (tag {@code state}, 1 for the current one), {@code frames.decoded},
 * {@code frames.sampled.out}, {@code frames.published}, {@code frames.dropped} (tag {@code reason}),
 * {@code decode.errors}, {@code reconnects}, {@code connect.failures}, {@code published.bytes}, and the timers
 * {@code decode.time}, {@code encode.time}, {@code send.time} (serialize + hand to the producer) and
 * {@code publish.latency} (send until the broker's acknowledgement).
 */
public final class CameraMetrics {
    private static final String PREFIX = "posestream.ingest.";

    private final String camera;
    private final AtomicReference<CameraState> state = new AtomicReference<>(CameraState.CONNECTING);
    private final Counter decoded;
    private final Counter sampledOut;
    private final Counter published;
    private final Counter decodeErrors;
    private final Counter reconnects;
    private final Counter connectFailures;
    private final Counter publishedBytes;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Timer decodeTime;
    private final Timer encodeTime;
    private final Timer sendTime;
    private final Timer publishLatency;

    public CameraMetrics(MeterRegistry registry, String camera) {
        this.camera = camera;
        for (CameraState each : CameraState.values()) {
            Gauge.builder(PREFIX + "camera.state", state, s -> s.get() == each ? 1 : 0)
                    .description("1 for the camera's current state, 0 for the others")
                    .tag("camera", camera)
                    .tag("state", each.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        decoded = counter(registry, "frames.decoded", "Frames decoded from the source");
        sampledOut = counter(registry, "frames.sampled.out", "Decoded frames not kept by the target-fps sampler");
        published = counter(registry, "frames.published", "Frames acknowledged by the broker");
        decodeErrors = counter(
                registry, "decode.errors", "Frames the decoder reported damaged (concealed errors) plus failed grabs");
        reconnects = counter(registry, "reconnects", "Times a connected stream was lost and reconnecting began");
        connectFailures = counter(registry, "connect.failures", "Connection attempts that failed");
        publishedBytes = Counter.builder(PREFIX + "published.bytes")
                .baseUnit("bytes")
                .description("JPEG bytes of the frames acknowledged by the broker")
                .tag("camera", camera)
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(
                    reason,
                    Counter.builder(PREFIX + "frames.dropped")
                            .description("Sampled frames that did not reach the topic, by reason")
                            .tag("camera", camera)
                            .tag("reason", reason.tag())
                            .register(registry));
        }
        decodeTime = timer(registry, "decode.time", "Read + decode + colour conversion/scaling per decoded frame");
        encodeTime = timer(registry, "encode.time", "JPEG encoding per published frame");
        sendTime = timer(registry, "send.time", "Avro serialization and hand-over to the producer per frame");
        publishLatency = timer(registry, "publish.latency", "From send until the broker acknowledged the frame");
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(PREFIX + name)
                .description(description)
                .tag("camera", camera)
                .register(registry);
    }

    private Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(PREFIX + name)
                .description(description)
                .tag("camera", camera)
                .register(registry);
    }

    public String camera() {
        return camera;
    }

    public CameraState state() {
        return state.get();
    }

    public void state(CameraState next) {
        state.set(next);
    }

    public void decoded(long nanos) {
        decoded.increment();
        decodeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void sampledOut() {
        sampledOut.increment();
    }

    public void decodeError() {
        decodeErrors.increment();
    }

    public void encoded(long nanos) {
        encodeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void sent(long nanos) {
        sendTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void published(int bytes, long latencyNanos) {
        published.increment();
        publishedBytes.increment(bytes);
        publishLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    public void reconnect() {
        reconnects.increment();
    }

    public void connectFailed() {
        connectFailures.increment();
    }

    public long framesDecoded() {
        return (long) decoded.count();
    }

    public long framesSampledOut() {
        return (long) sampledOut.count();
    }

    public long framesPublished() {
        return (long) published.count();
    }

    /** JPEG bytes of the frames acknowledged by the broker. */
    public long publishedBytes() {
        return (long) publishedBytes.count();
    }

    public long framesDropped(DropReason reason) {
        return (long) dropped.get(reason).count();
    }

    public long framesDropped() {
        return dropped.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    public long decodeErrors() {
        return (long) decodeErrors.count();
    }

    public long reconnects() {
        return (long) reconnects.count();
    }

    public long connectFailures() {
        return (long) connectFailures.count();
    }

    public Timer decodeTime() {
        return decodeTime;
    }

    public Timer encodeTime() {
        return encodeTime;
    }

    public Timer sendTime() {
        return sendTime;
    }

    public Timer publishLatency() {
        return publishLatency;
    }
}
