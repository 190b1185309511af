package io.posestream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest: every camera on its own thread, all publishing through one producer to the frame topic. A camera
 * that fails (bad URL, missing file, unreachable server) only changes its own state; the others keep going.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final FramePublisher publisher;
    private final Map<String, CameraWorker> workers = new LinkedHashMap<>();
    private final Map<String, CameraMetrics> metrics = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long longestTimeoutMillis;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
        long longest = 0;
        for (CameraConfig camera : cameras) {
            if (workers.containsKey(camera.id())) {
                publisher.close();
                throw new IllegalArgumentException("camera id '" + camera.id() + "' appears more than once");
            }
            CameraMetrics cameraMetrics = new CameraMetrics(registry, camera.id());
            metrics.put(camera.id(), cameraMetrics);
            workers.put(camera.id(), new CameraWorker(camera, environment, publisher, cameraMetrics));
            longest = Math.max(longest, camera.timeout().toMillis());
        }
        this.longestTimeoutMillis = longest;
    }

    /** Starts every camera's thread. */
    public IngestService start() {
        for (Map.Entry<String, CameraWorker> entry : workers.entrySet()) {
            Thread thread = new Thread(entry.getValue(), "camera-" + entry.getKey());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.info("Ingest started with {} camera(s): {}", workers.size(), workers.keySet());
        return this;
    }

    /** The camera's meters (state, counters, timers). */
    public CameraMetrics metrics(String cameraId) {
        CameraMetrics found = metrics.get(cameraId);
        if (found == null) {
            throw new IllegalArgumentException(
                    "no camera '" + cameraId + "' in this ingest; cameras: " + metrics.keySet());
        }
        return found;
    }

    public List<String> cameraIds() {
        return List.copyOf(workers.keySet());
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
        return threads.stream().anyMatch(Thread::isAlive);
    }

    /** Waits for every camera thread to end (files without loop), up to the given time. */
    public boolean awaitCameras(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Thread thread : threads) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            thread.join(left);
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Stops every camera (a grab in progress ends within its timeout), then flushes and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        workers.values().forEach(CameraWorker::stop);
        for (Thread thread : threads) {
            try {
                thread.join(longestTimeoutMillis + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                LOG.warn("{} did not stop in time", thread.getName());
            }
        }
        publisher.close();
        LOG.info("Ingest stopped");
    }
}
