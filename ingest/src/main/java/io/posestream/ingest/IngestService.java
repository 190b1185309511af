package io.posestream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: a {@link CameraGroup} whose cameras all publish through one producer ({@link FramePublisher})
 * to the frame topic. A camera that fails (bad URL, missing file, unreachable server) only changes its own state;
 * the others keep going. Every run numbers each camera's frames from seq 0.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final FramePublisher publisher;
    private final CameraGroup cameras;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param cameras      validated cameras with distinct ids
     * @param clientConfig bootstrap servers, {@code schema.registry.url} and producer overrides
     * @param topic        the frame topic (normally {@code posestream.frames})
     * @param registry     where camera metrics are registered
     * @param environment  where {@code passwordEnv} names are looked up (normally {@code System.getenv()})
     */
    public IngestService(
            List<CameraConfig> cameras,
            Map<String, Object> clientConfig,
            String topic,
            MeterRegistry registry,
            Map<String, String> environment) {
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException("no cameras to ingest");
        }
        this.publisher = new FramePublisher(clientConfig, topic);
        try {
            this.cameras = new CameraGroup(cameras, environment, publisher, registry, id -> 0L);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** Starts every camera's thread. */
    public IngestService start() {
        cameras.start();
        LOG.info("Ingest started with {} camera(s): {}", cameras.cameraIds().size(), cameras.cameraIds());
        return this;
    }

    /** The camera's meters (state, counters, timers). */
    public CameraMetrics metrics(String cameraId) {
        return cameras.metrics(cameraId);
    }

    public List<String> cameraIds() {
        return cameras.cameraIds();
    }

    /**
     * Why frames are not reaching Kafka now, or null while the latest frame was delivered (or none was sent yet):
     * the ingest's readiness.
     */
    public String deliveryProblem() {
        return publisher.deliveryProblem();
    }

    /** True while some camera may still produce frames (not all finished, failed or stopped). */
    public boolean anyActive() {
        return cameras.anyActive();
    }

    /**
     * Waits for every camera thread to end (files without loop), up to the given time, and then for the broker to
     * acknowledge what they published, so the cameras' published counts are final when this returns true.
     */
    public boolean awaitCameras(long timeoutMillis) throws InterruptedException {
        if (!cameras.awaitCameras(timeoutMillis)) {
            return false;
        }
        publisher.flush();
        return true;
    }

    /** Stops every camera (a grab in progress ends within its timeout), then flushes and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cameras.close();
        publisher.close();
        LOG.info("Ingest stopped");
    }
}
