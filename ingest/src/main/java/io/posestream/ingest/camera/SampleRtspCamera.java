package io.posestream.ingest.camera;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample camera: a real RTSP server (GStreamer's, through Debian's python3-gi) that serves a video file,
 * looping at its native rate, x264-encoded, at {@code rtsp://ADDRESS:PORT/PATH}. Runs as a child process so that a
 * test can kill it, restart it on the same port, or freeze it with SIGSTOP like a hung camera.
 */
public final class SampleRtspCamera implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleRtspCamera.class);
    /** Debian's interpreter: the one with python3-gi; a python3 earlier on PATH may lack it. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** pedestrians walking, 768x576, 10 fps, 795 frames (Debian package opencv-doc). */
    public static final Path DEFAULT_VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private static final String SCRIPT = "rtsp_camera_server.py";
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Path video;
    private final String address;
    private final String path;
    private final int paths;
    private int port;
    private String user;
    private String password;
    private Process process;
    private List<String> servedPaths = List.of();
    private final Deque<String> stderrTail = new ArrayDeque<>();

    /**
     * @param video   video file to serve (any format GStreamer decodes)
     * @param address address to listen on (127.0.0.1 keeps it local)
     * @param port    RTSP port; 0 = a free port, kept across {@link #restart()}
     * @param path    mount path, e.g. {@code cam1}
     * @param paths   how many paths; more than 1 serves path's prefix with 1..N ({@code cam1..camN})
     */
    public SampleRtspCamera(Path video, String address, int port, String path, int paths) {
        if (paths < 1 || paths > 64) {
            throw new IllegalArgumentException("paths must be 1..64, got " + paths);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (!path.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("path must be letters, digits, '.', '_' or '-', got '" + path + "'");
        }
        this.video = video.toAbsolutePath();
        this.address = address;
        this.port = port;
        this.path = path;
        this.paths = paths;
    }

    /** The default video on a free local port at {@code cam1}. */
    public static SampleRtspCamera local() {
        return new SampleRtspCamera(DEFAULT_VIDEO, "127.0.0.1", 0, "cam1", 1);
    }

    /**
     * Makes the server ask clients for these credentials (HTTP basic auth), like a camera with a login: a client
     * without them, or with a wrong password, gets {@code 401 Unauthorized}. Takes effect at the next start. The
     * password reaches the server through its environment, never its command line.
     */
    public synchronized SampleRtspCamera credentials(String user, String password) {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("credentials need a user and a password");
        }
        this.user = user;
        this.password = password;
        return this;
    }

    /** Starts the server and waits until it listens; throws with the server's own error if it cannot. */
    public synchronized SampleRtspCamera start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("sample camera already running on port " + port);
        }
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: the sample camera needs Debian's python3 with "
                    + "python3-gi and GStreamer's RTSP server (run scripts/setup.sh)");
        }
        if (!Files.isReadable(video)) {
            throw new IllegalStateException("sample camera video " + video + " does not exist or is not readable"
                    + (video.equals(DEFAULT_VIDEO) ? " (Debian package opencv-doc; run scripts/setup.sh)" : ""));
        }
        List<String> command = new ArrayList<>(List.of(
                PYTHON.toString(),
                "-u",
                script().toString(),
                "--video",
                video.toString(),
                "--address",
                address,
                "--port",
                Integer.toString(port),
                "--path",
                path,
                "--paths",
                Integer.toString(paths)));
        if (user != null) {
            command.addAll(List.of("--user", user));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        if (user != null) {
            builder.environment().put("POSESTREAM_CAMERA_PASSWORD", password);
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the sample camera: " + e.getMessage(), e);
        }
        synchronized (stderrTail) {
            stderrTail.clear();
        }
        Process started = process;
        Thread stderr = new Thread(() -> pumpStderr(started), "sample-camera-stderr");
        stderr.setDaemon(true);
        stderr.start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readReady(started));
        String line;
        try {
            line = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("Interrupted while starting the sample camera", e);
        } catch (ExecutionException | TimeoutException e) {
            kill();
            throw new IllegalStateException(
                    "The sample camera did not start within " + START_TIMEOUT_SECONDS + " s: " + stderrText(), e);
        }
        if (line == null) {
            waitQuietly(started);
            throw new IllegalStateException("The sample camera exited"
                    + (started.isAlive() ? "" : " with code " + started.exitValue()) + ": " + stderrText());
        }
        // READY <port> <width>x<height> <fps> <paths>
        String[] fields = line.trim().split(" ");
        port = Integer.parseInt(fields[1]);
        servedPaths = List.of(fields[4].split(","));
        LOG.info("Sample camera serving {} ({}, {} fps) at {}", video.getFileName(), fields[2], fields[3], urls());
        return this;
    }

    private static String readReady(Process process) {
        try {
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    Thread drain = new Thread(() -> drain(reader), "sample-camera-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private void pumpStderr(Process process) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 20) {
                        stderrTail.removeFirst();
                    }
                }
                LOG.debug("sample camera: {}", line);
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private String stderrText() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "(no error output)" : String.join(" | ", stderrTail);
        }
    }

    private static Path script() {
        try (InputStream in = SampleRtspCamera.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCRIPT + " is missing from the ingest jar");
            }
            Path file = Files.createTempFile("posestream-rtsp-camera-", ".py");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sample camera script: " + e.getMessage(), e);
        }
    }

    /** The port it listens on (known after the first start). */
    public int port() {
        return port;
    }

    /** {@code rtsp://address:port/path} of the first path. */
    public String url() {
        return url(servedPaths.isEmpty() ? path : servedPaths.get(0));
    }

    public String url(String mountPath) {
        String host = "0.0.0.0".equals(address) ? "127.0.0.1" : address;
        return "rtsp://" + host + ":" + port + "/" + mountPath;
    }

    /** URLs of all served paths. */
    public List<String> urls() {
        List<String> urls = new ArrayList<>();
        for (String served : servedPaths) {
            urls.add(url(served));
        }
        return urls;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing is sent or answered. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Unfreezes a paused server (SIGCONT). */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (!running()) {
            throw new IllegalStateException("sample camera is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling the sample camera", e);
        }
    }

    /** Kills the server at once (SIGKILL), like a crashed camera. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitQuietly(process);
        }
    }

    /** Stops and starts it again on the same port. */
    public synchronized SampleRtspCamera restart() {
        stop();
        return start();
    }

    /** Stops the server (SIGTERM, SIGKILL after 5 s); resumes it first if paused. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            signal("CONT");
        } catch (RuntimeException e) {
            // already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        waitQuietly(process);
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
