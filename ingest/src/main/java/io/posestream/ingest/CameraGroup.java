package io.posestream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.metrics.CameraMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of cameras, each decoded on its own thread and handing its frames to one {@link FrameSink}: the camera
 * path that the {@code ingest} process ({@link IngestService}) and a Kafka Connect source task share. A camera that
 * fails (bad URL, missing file, refused credentials, unreachable server) only changes its own state; the others keep
 * going.
 */
public final class CameraGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraGroup.class);

    private final Map<String, CameraWorker> workers = new LinkedHashMap<>();
    private final Map<String, CameraMetrics> metrics = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long longestTimeoutMillis;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param cameras     validated cameras with distinct ids
     * @param environment where {@code passwordEnv} names are looked up (normally {@code System.getenv()})
     * @param sink        where every camera's frames go
     * @param registry    where camera metrics are registered
     * @param firstSeq    the seq of each camera's first frame (by camera id)
     */
    public CameraGroup(
            List<CameraConfig> cameras,
            Map<String, String> environment,
            FrameSink sink,
            MeterRegistry registry,
            ToLongFunction<String> firstSeq) {
        if (cameras.isEmpty()) {
            throw new IllegalArgumentException("no cameras to ingest");
        }
        long longest = 0;
        for (CameraConfig camera : cameras) {
            if (workers.containsKey(camera.id())) {
                throw new IllegalArgumentException("camera id '" + camera.id() + "' appears more than once");
            }
            CameraMetrics cameraMetrics = new CameraMetrics(registry, camera.id());
            metrics.put(camera.id(), cameraMetrics);
            workers.put(
                    camera.id(),
                    new CameraWorker(camera, environment, sink, cameraMetrics, firstSeq.applyAsLong(camera.id())));
            longest = Math.max(longest, camera.timeout().toMillis());
        }
        this.longestTimeoutMillis = longest;
    }

    /** Starts every camera's thread, named {@code camera-<id>}. */
    public CameraGroup start() {
        for (Map.Entry<String, CameraWorker> entry : workers.entrySet()) {
            Thread thread = new Thread(entry.getValue(), "camera-" + entry.getKey());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** The camera's meters (state, counters, timers). */
    public CameraMetrics metrics(String cameraId) {
        CameraMetrics found = metrics.get(cameraId);
        if (found == null) {
            throw new IllegalArgumentException("no camera '" + cameraId + "' here; cameras: " + metrics.keySet());
        }
        return found;
    }

    public List<String> cameraIds() {
        return List.copyOf(workers.keySet());
    }

    /**
     * The cameras that failed for good (not retried), with why, credentials masked; empty while none has.
     */
    public Map<String, String> failures() {
        Map<String, String> failed = new LinkedHashMap<>();
        workers.forEach((id, worker) -> {
            String reason = worker.failure();
            if (reason != null) {
                failed.put(id, reason);
            }
        });
        return failed;
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

    /**
     * Stops every camera and waits for its thread: a grab in progress ends within the camera's timeout. A frame
     * being encoded when the stop came may still reach the sink before its thread ends.
     */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
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
    }
}
