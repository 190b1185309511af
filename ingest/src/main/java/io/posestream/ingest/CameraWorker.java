package io.posestream.ingest;

import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraConfigException;
import io.posestream.ingest.config.CameraUrls;
import io.posestream.ingest.metrics.CameraMetrics;
import io.posestream.ingest.metrics.DropReason;
import io.posestream.ingest.source.DecodedFrame;
import io.posestream.ingest.source.SourceException;
import io.posestream.ingest.source.VideoSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one camera on its own thread: connect, decode, sample by timestamp, JPEG-encode, publish; on a lost stream
 * close and reconnect with backoff. Nothing here throws out of {@link #run()}: a failing camera only ever changes
 * its own state, so it can never stop another camera.
 */
final class CameraWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);
    /** A file with this many failed grabs in a row is treated as ended. */
    private static final int MAX_CONSECUTIVE_GRAB_ERRORS = 50;

    private final CameraConfig camera;
    private final Map<String, String> environment;
    private final FrameSink sink;
    private final CameraMetrics metrics;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Why the camera failed for good (masked, for operators), or null while it has not. */
    private volatile String failure;
    /** Next sequence number: continues across reconnects and file loops for the life of the worker. */
    private long seq;
    /** Frames handed to the sink by this worker. */
    private long handedOver;

    /**
     * @param firstSeq the seq of the first frame handed over: 0 for a new run of {@code ingest}, the number after
     *                 the last committed one for a Connect task that takes a camera over
     */
    CameraWorker(
            CameraConfig camera,
            Map<String, String> environment,
            FrameSink sink,
            CameraMetrics metrics,
            long firstSeq) {
        this.camera = camera;
        this.environment = environment;
        this.sink = sink;
        this.metrics = metrics;
        this.seq = firstSeq;
    }

    /** Why a connection ended. */
    private record Ending(boolean endOfFile, String reason, boolean gotFrames) {}

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Last line of defence: a bug in one camera must not take the others down.
            failure = "stopped by an unexpected error: " + CameraUrls.mask(e.toString());
            metrics.state(CameraState.FAILED);
            LOG.error("Camera {}: stopped by an unexpected error: {}", camera.id(), CameraUrls.mask(e.toString()), e);
        }
    }

    private void loop() {
        CameraUrls.Source source;
        try {
            source = CameraUrls.resolve(camera, environment);
        } catch (CameraConfigException e) {
            fail(e.getMessage());
            return;
        }
        Backoff backoff = new Backoff(camera.reconnectInitial(), camera.reconnectMax(), ThreadLocalRandom.current());
        FrameSampler sampler = new FrameSampler(camera.fps());
        try (JpegEncoder encoder = new JpegEncoder(camera.jpegQuality())) {
            while (running) {
                metrics.state(CameraState.CONNECTING);
                LOG.info("Camera {}: connecting to {}", camera.id(), source.display());
                long connectStart = System.nanoTime();
                VideoSource video;
                try {
                    video = VideoSource.open(source, camera);
                } catch (SourceException e) {
                    if (e.permanent()) {
                        fail(e.getMessage());
                        return;
                    }
                    metrics.connectFailed();
                    LOG.info("Camera {}: cannot connect: {}", camera.id(), e.getMessage());
                    waitBeforeRetry(backoff);
                    continue;
                }
                Ending ending;
                try (video) {
                    LOG.info(
                            "Camera {}: connected in {} ms: {} {}x{} at {} fps; publishing up to {} fps at {}x{}",
                            camera.id(),
                            (System.nanoTime() - connectStart) / 1_000_000,
                            video.codec(),
                            video.sourceWidth(),
                            video.sourceHeight(),
                            String.format("%.2f", video.frameRate()),
                            camera.fps(),
                            video.width(),
                            video.height());
                    metrics.state(CameraState.STREAMING);
                    sampler.reset();
                    ending = stream(video, source, sampler, encoder);
                }
                if (!running) {
                    break;
                }
                if (ending.endOfFile()) {
                    if (camera.loop()) {
                        LOG.info("Camera {}: end of file, starting again (loop)", camera.id());
                        continue;
                    }
                    metrics.state(CameraState.FINISHED);
                    LOG.info(
                            "Camera {}: end of file; {} frames handed over in this run (last seq {})",
                            camera.id(),
                            handedOver,
                            seq - 1);
                    return;
                }
                metrics.reconnect();
                LOG.info("Camera {}: lost: {}", camera.id(), ending.reason());
                if (ending.gotFrames()) {
                    backoff.reset();
                }
                waitBeforeRetry(backoff);
            }
        }
        metrics.state(CameraState.STOPPED);
        LOG.info("Camera {}: stopped after {} frames handed over (last seq {})", camera.id(), handedOver, seq - 1);
    }

    private Ending stream(VideoSource video, CameraUrls.Source source, FrameSampler sampler, JpegEncoder encoder) {
        boolean gotFrames = false;
        int grabErrors = 0;
        long lastFrameNanos = System.nanoTime();
        long paceOriginPts = Long.MIN_VALUE;
        long paceOriginNanos = 0;
        while (running) {
            DecodedFrame decoded;
            try {
                decoded = video.grab();
            } catch (SourceException e) {
                metrics.decodeError();
                if (source.live()) {
                    return new Ending(false, e.getMessage(), gotFrames);
                }
                if (++grabErrors >= MAX_CONSECUTIVE_GRAB_ERRORS) {
                    LOG.warn(
                            "Camera {}: {} failed grabs in a row, treating the file as ended: {}",
                            camera.id(),
                            grabErrors,
                            e.getMessage());
                    return new Ending(true, e.getMessage(), gotFrames);
                }
                continue;
            }
            if (decoded == null) {
                if (!source.live()) {
                    return new Ending(true, "end of file", gotFrames);
                }
                long silentMillis = (System.nanoTime() - lastFrameNanos) / 1_000_000;
                return new Ending(
                        false,
                        silentMillis >= camera.timeout().toMillis() * 9 / 10
                                ? "no data for " + silentMillis + " ms (timeout "
                                        + camera.timeout().toMillis() + " ms)"
                                : "end of stream (the server closed the connection)",
                        gotFrames);
            }
            grabErrors = 0;
            gotFrames = true;
            lastFrameNanos = System.nanoTime();
            metrics.decoded(decoded.decodeNanos());
            if (decoded.damaged()) {
                metrics.decodeError();
            }
            long pts = decoded.ptsMicros() >= 0 ? decoded.ptsMicros() : lastFrameNanos / 1000;
            if (!sampler.accept(pts)) {
                metrics.sampledOut();
                continue;
            }
            long captureMillis = decoded.wallMillis();
            if (!source.live() && camera.realtime()) {
                if (paceOriginPts == Long.MIN_VALUE || pts < paceOriginPts) {
                    paceOriginPts = pts;
                    paceOriginNanos = System.nanoTime();
                }
                if (!sleepUntil(paceOriginNanos + (pts - paceOriginPts) * 1000)) {
                    break;
                }
                captureMillis = System.currentTimeMillis();
            }
            publish(decoded, pts, captureMillis, encoder);
        }
        return new Ending(false, "stopped", gotFrames);
    }

    private void publish(DecodedFrame decoded, long pts, long captureMillis, JpegEncoder encoder) {
        long start = System.nanoTime();
        byte[] jpeg;
        try {
            jpeg = encoder.encode(decoded.image());
        } catch (RuntimeException e) {
            metrics.dropped(DropReason.ENCODE_FAILED);
            LOG.warn("Camera {}: JPEG encoding failed: {}", camera.id(), e.getMessage());
            return;
        }
        metrics.encoded(System.nanoTime() - start);
        Frame record = Frame.newBuilder()
                .setCameraId(camera.id())
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(captureMillis))
                .setPts(decoded.ptsMicros() >= 0 ? pts : -1)
                .setWidth(decoded.image().imageWidth)
                .setHeight(decoded.image().imageHeight)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg))
                .build();
        if (sink.publish(record, metrics)) {
            seq++;
            handedOver++;
        }
    }

    private void waitBeforeRetry(Backoff backoff) {
        if (!running) {
            return;
        }
        Duration delay = backoff.next();
        metrics.state(CameraState.BACKOFF);
        LOG.info(
                "Camera {}: retry in {} s (attempt {})",
                camera.id(),
                String.format("%.1f", delay.toMillis() / 1000.0),
                backoff.attempts());
        sleepUntil(System.nanoTime() + delay.toNanos());
    }

    /** Sleeps until the given nanoTime; false when stopped meanwhile. */
    private boolean sleepUntil(long deadlineNanos) {
        long remaining;
        while (running && (remaining = deadlineNanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, remaining / 1_000_000));
            } catch (InterruptedException e) {
                // stop() interrupts; the running flag decides.
            }
        }
        return running;
    }

    private void fail(String reason) {
        String prefix = "camera '" + camera.id() + "': ";
        failure = reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason;
        metrics.state(CameraState.FAILED);
        LOG.error("Camera {}: failed, not retrying: {}", camera.id(), failure);
    }

    /** Why the camera failed for good (credentials masked), or null while it has not failed. */
    String failure() {
        return failure;
    }

    /** Asks the camera to stop; a grab in progress ends within the camera's timeout. */
    void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
    }
}
