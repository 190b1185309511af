package io.posestream.faults;

import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on loopback as separate processes, as an operator would run it: {@code posestream broker} with a
 * data directory, {@code posestream registry}, the GStreamer sample camera, {@code ingest}, {@code infer}, one or more
 * {@code track} instances and {@code dashboard}. Every service reaches the broker through its own {@link TcpProxy}:
 * the broker has one listener per service, advertised at that service's proxy, so the Kafka clients of a service (which
 * follow the advertised address of the listener they came in on) never bypass their proxy. The harness itself talks
 * to the broker directly. Ports are picked once, so restarted processes keep their addresses.
 */
public final class LoopbackPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackPipeline.class);

    /** Service names, as used for proxies, logs and tables. */
    public static final String REGISTRY = "registry";

    public static final String INGEST = "ingest";
    public static final String INFER = "infer";
    public static final String DASHBOARD = "dashboard";

    /**
     * What to run.
     *
     * @param workDir   data directories and each process's console log
     * @param modelsDir prepared models ({@code posestream model prepare})
     * @param cameras   sample camera paths, each a camera of ingest ({@code cam1..camN})
     * @param fps       frames per second ingest takes from each camera
     * @param trackers  tracker instances of one application ({@code tracker-a}, {@code tracker-b}, ...)
     * @param launcher  how to start {@code posestream}
     * @param settings  extra {@code --setting KEY=VALUE} per service name (or {@code tracker} for every instance)
     * @param fixedHeaps every JVM takes its whole heap at start ({@code -Xms} = {@code -Xmx}, pages touched), so that
     *                   resident memory afterwards measures what grows beyond the heap's own sizing (the soak)
     */
    public record Options(
            Path workDir,
            Path modelsDir,
            int cameras,
            double fps,
            int trackers,
            PosestreamLauncher launcher,
            Map<String, List<String>> settings,
            boolean fixedHeaps) {
        public Options {
            settings = Map.copyOf(settings);
        }

        /** Heaps sized by the JVM as it goes, as services normally run. */
        public Options(
                Path workDir,
                Path modelsDir,
                int cameras,
                double fps,
                int trackers,
                PosestreamLauncher launcher,
                Map<String, List<String>> settings) {
            this(workDir, modelsDir, cameras, fps, trackers, launcher, settings, false);
        }
    }

    private final Options options;
    /** Every port is picked before anything binds one, all held at once, so no two picks can be the same. */
    private final Ports ports = new Ports();

    private final int brokerPort = ports.pick();
    private final int controllerPort = ports.pick();
    private final int registryPort = ports.pick();
    private final int dashboardPort = ports.pick();
    /** Kills what is left of the pipeline if the harness's JVM is stopped (Ctrl-C) before {@link #close()}. */
    private final Thread killOnExit = new Thread(this::killAll, "loopback-pipeline-kill");

    private final Map<String, TcpProxy> proxies = new LinkedHashMap<>();
    private final Map<String, Integer> listenerPorts = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final List<String> trackers = new ArrayList<>();
    private ServiceProcess broker;
    private SampleRtspCamera camera;

    private LoopbackPipeline(Options options) {
        this.options = options;
    }

    /** Starts every part and returns once every service is ready ({@code /health/ready} 200). */
    public static LoopbackPipeline start(Options options, Duration timeout) throws InterruptedException {
        LoopbackPipeline pipeline = new LoopbackPipeline(options);
        try {
            pipeline.startAll(timeout);
            return pipeline;
        } catch (RuntimeException | InterruptedException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> names = new ArrayList<>(List.of(REGISTRY, INGEST, INFER));
        for (int i = 0; i < options.trackers(); i++) {
            String name = "tracker-" + (char) ('a' + i);
            trackers.add(name);
            names.add(name);
        }
        names.add(DASHBOARD);
        Map<String, Integer> proxyPorts = new LinkedHashMap<>();
        Map<String, Integer> metricsPorts = new LinkedHashMap<>();
        for (String name : names) {
            listenerPorts.put(name, ports.pick());
            proxyPorts.put(name, ports.pick());
            metricsPorts.put(name, ports.pick());
        }
        ports.release();
        Runtime.getRuntime().addShutdownHook(killOnExit);
        for (String name : names) {
            proxies.put(name, new TcpProxy(name, proxyPorts.get(name), listenerPorts.get(name)));
        }
        broker = process("broker", brokerArgs(), 512, -1);
        broker.start();
        awaitTrue("the broker answering at " + bootstrapServers(), deadline, this::brokerAnswers);
        camera = new SampleRtspCamera(SampleRtspCamera.DEFAULT_VIDEO, "127.0.0.1", 0, "cam", options.cameras()).start();
        for (String name : names) {
            services.put(name, process(name, serviceArgs(name), heapMb(name), metricsPorts.get(name)));
        }
        services.get(REGISTRY).start();
        awaitReady(services.get(REGISTRY), deadline);
        // The trackers first, so the camera's first frames find everyone running.
        for (String name : names) {
            if (!name.equals(REGISTRY)) {
                services.get(name).start();
            }
        }
        for (ServiceProcess service : services.values()) {
            awaitReady(service, deadline);
        }
        LOG.info("Loopback pipeline ready: broker {}, registry {}, {}", bootstrapServers(), registryUrl(), names);
    }

    private List<String> brokerArgs() {
        List<String> args = new ArrayList<>(List.of(
                "broker",
                "--port",
                Integer.toString(brokerPort),
                "--controller-port",
                Integer.toString(controllerPort),
                "--data-dir",
                options.workDir().resolve("broker-data").toString()));
        listenerPorts.forEach((name, port) -> {
            args.add("--listener");
            args.add(listenerName(name) + "=" + port + ":" + proxies.get(name).port());
        });
        return args;
    }

    private List<String> serviceArgs(String name) {
        String bootstrap = "127.0.0.1:" + proxies.get(name).port();
        List<String> args = new ArrayList<>();
        if (name.equals(REGISTRY)) {
            args.addAll(
                    List.of("registry", "--bootstrap-servers", bootstrap, "--port", Integer.toString(registryPort)));
        } else {
            String command = name.startsWith("tracker") ? "track" : name;
            args.addAll(List.of(command, "--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl()));
        }
        switch (name) {
            case INGEST -> {
                for (int i = 1; i <= options.cameras(); i++) {
                    args.add("--camera");
                    args.add("cam" + i + "=" + camera.url("cam" + i));
                }
                args.addAll(List.of("--fps", String.format(Locale.ROOT, "%.2f", options.fps())));
            }
            case INFER ->
                args.addAll(List.of("--models-dir", options.modelsDir().toString()));
            case DASHBOARD -> args.addAll(List.of("--port", Integer.toString(dashboardPort)));
            default -> {
                if (name.startsWith("tracker")) {
                    args.addAll(List.of(
                            "--state-dir",
                            options.workDir().resolve(name + "-state").toString()));
                }
            }
        }
        List<String> settings = new ArrayList<>(options.settings().getOrDefault(name, List.of()));
        if (name.startsWith("tracker")) {
            settings.addAll(options.settings().getOrDefault("tracker", List.of()));
        }
        for (String setting : settings) {
            args.add("--setting");
            args.add(setting);
        }
        return args;
    }

    private static String listenerName(String service) {
        return service.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static int heapMb(String name) {
        return switch (name) {
            case INFER -> 768;
            case REGISTRY -> 128;
            default -> 256;
        };
    }

    private ServiceProcess process(String name, List<String> args, int heapMb, int metricsPort) {
        List<String> all = new ArrayList<>(args);
        if (metricsPort > 0) {
            all.addAll(List.of("--metrics-port", Integer.toString(metricsPort), "--metrics-address", "127.0.0.1"));
        }
        List<String> jvm =
                new ArrayList<>(List.of("-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (options.fixedHeaps()) {
            jvm.addAll(List.of("-Xms" + heapMb + "m", "-XX:+AlwaysPreTouch"));
        }
        return new ServiceProcess(
                name,
                options.launcher().command(jvm, all),
                Map.of("TF_CPP_MIN_LOG_LEVEL", "2"),
                options.workDir().resolve("logs").resolve(name + ".log"),
                metricsPort);
    }

    /** The broker's own address (not proxied): for the harness's clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    /** Client settings for the harness (audit, offsets): the broker directly and the registry. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers());
        config.put("schema.registry.url", registryUrl());
        return config;
    }

    /** True when the broker answers a metadata request within a few seconds. */
    public boolean brokerAnswers() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(4, TimeUnit.SECONDS);
            admin.describeTopics(List.of(Topics.FRAMES)).allTopicNames().get(4, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public ServiceProcess broker() {
        return broker;
    }

    /** A service by name: {@link #REGISTRY}, {@link #INGEST}, {@link #INFER}, {@link #DASHBOARD}, {@code tracker-a}. */
    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " in " + services.keySet());
        }
        return service;
    }

    /** Every service (not the broker), in start order. */
    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    public List<String> trackers() {
        return List.copyOf(trackers);
    }

    /** The proxy between a service and the broker. */
    public TcpProxy proxy(String service) {
        return proxies.get(service);
    }

    public List<TcpProxy> proxies() {
        return List.copyOf(proxies.values());
    }

    /** The dashboard's page port ({@code /api/state}). */
    public int dashboardPort() {
        return dashboardPort;
    }

    public List<String> cameraIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= options.cameras(); i++) {
            ids.add("cam" + i);
        }
        return ids;
    }

    public Options options() {
        return options;
    }

    /** Waits for the service to be ready; fails at once, with its last lines, if it ended instead. */
    static void awaitReady(ServiceProcess service, long deadlineNanos) throws InterruptedException {
        awaitTrue(service.name() + " ready", deadlineNanos, () -> {
            if (!service.alive()) {
                List<ServiceProcess.Line> lines = service.lines();
                throw new IllegalStateException(service.name() + " ended while starting; its last lines:\n"
                        + String.join(
                                "\n",
                                lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                                        .map(ServiceProcess.Line::text)
                                        .toList()));
            }
            return service.ready();
        });
    }

    static void awaitTrue(String what, long deadlineNanos, BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    /** Free loopback ports, each held until {@link #release()} so that no two picks are the same. */
    private static final class Ports {
        private final List<ServerSocket> held = new ArrayList<>();

        synchronized int pick() {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                held.add(socket);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void release() {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closed
                }
            }
            held.clear();
        }
    }

    private void killAll() {
        for (ServiceProcess service : services.values()) {
            service.destroyNow();
        }
        if (broker != null) {
            broker.destroyNow();
        }
        if (camera != null) {
            camera.kill();
        }
    }

    /** Stops the services (SIGTERM), the camera, the broker, the proxies. */
    @Override
    public void close() throws InterruptedException {
        ports.release();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down (the hook runs) or never added
        }
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (ServiceProcess service : reversed) {
            if (service.alive()) {
                service.stop(Duration.ofSeconds(20));
            }
        }
        if (camera != null) {
            camera.close();
        }
        if (broker != null) {
            broker.stop(Duration.ofSeconds(30));
        }
        proxies.values().forEach(TcpProxy::close);
        LOG.info("Loopback pipeline stopped at {}", Instant.now());
    }
}
