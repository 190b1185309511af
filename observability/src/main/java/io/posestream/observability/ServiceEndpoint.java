package io.posestream.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP endpoint every posestream service exposes (JDK HTTP server, one thread), which the container health
 * checks, Kubernetes probes and Prometheus use:
 * <ul>
 *   <li>{@code /metrics}: the Prometheus scrape of the service's registry, with JVM and process meters and one
 *   {@code posestream_health{probe, check}} gauge (1 passing, 0 failing) per registered check;</li>
 *   <li>{@code /health/live}: 200 while every liveness check passes, else 503 (restart me);</li>
 *   <li>{@code /health/ready}: 200 while every readiness check passes, else 503 (do not count on me yet), with a
 *   JSON body naming the failing checks ({@link HealthReport#toJson()}).</li>
 * </ul>
 * A service registers its checks with {@link #readiness} and {@link #liveness}, before or after start.
 */
public final class ServiceEndpoint implements AutoCloseable {
    /** The port every service uses unless told otherwise, so manifests and health checks agree. */
    public static final int DEFAULT_PORT = 9400;

    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoint.class);

    private final String service;
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final JvmGcMetrics gcMetrics;
    private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();

    private ServiceEndpoint(
            String service,
            PrometheusMeterRegistry registry,
            HttpServer server,
            ExecutorService executor,
            JvmGcMetrics gcMetrics) {
        this.service = service;
        this.registry = registry;
        this.server = server;
        this.executor = executor;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Starts serving {@code registry} and the health checks of {@code service} (a name for logs) on
     * {@code address:port}; port 0 picks a free port. Binds JVM and process meters to the registry.
     */
    public static ServiceEndpoint start(String service, PrometheusMeterRegistry registry, String address, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot serve metrics and health of " + service + " on " + address + ":" + port + ": "
                            + e.getMessage(),
                    e);
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, service + "-endpoint-http");
            thread.setDaemon(true);
            return thread;
        });
        ServiceEndpoint endpoint = new ServiceEndpoint(service, registry, server, executor, gc);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info(
                "{}: metrics at http://{}:{}{}, health at {} and {}",
                service,
                address,
                endpoint.port(),
                METRICS_PATH,
                LIVE_PATH,
                READY_PATH);
        return endpoint;
    }

    /** Adds a condition for {@code /health/ready}: while it fails, the service is up but should not be relied on. */
    public ServiceEndpoint readiness(String name, HealthCheck check) {
        register(readiness, "ready", name, check);
        return this;
    }

    /** Adds a condition for {@code /health/live}: while it fails, the service is broken beyond self-repair. */
    public ServiceEndpoint liveness(String name, HealthCheck check) {
        register(liveness, "live", name, check);
        return this;
    }

    private void register(Map<String, HealthCheck> checks, String probe, String name, HealthCheck check) {
        synchronized (checks) {
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException(
                        service + ": a " + probe + " check named '" + name + "' is already registered");
            }
        }
        Gauge.builder("posestream.health", check, c -> evaluate(c).passing() ? 1 : 0)
                .description("1 while the health check passes, 0 while it fails")
                .tag("probe", probe)
                .tag("check", name)
                .register(registry);
    }

    /** Every readiness check now. */
    public HealthReport readiness() {
        return report(readiness);
    }

    /** Every liveness check now. */
    public HealthReport liveness() {
        return report(liveness);
    }

    private static HealthReport report(Map<String, HealthCheck> checks) {
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        synchronized (checks) {
            checks.forEach((name, check) -> results.put(name, evaluate(check)));
        }
        return new HealthReport(results);
    }

    private static HealthCheck.Result evaluate(HealthCheck check) {
        try {
            HealthCheck.Result result = check.check();
            return result == null ? HealthCheck.Result.down("check returned no result") : result;
        } catch (RuntimeException e) {
            return HealthCheck.Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case METRICS_PATH -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                case LIVE_PATH -> sendHealth(exchange, liveness(), "live");
                case READY_PATH -> sendHealth(exchange, readiness(), "ready");
                default ->
                    send(
                            exchange,
                            404,
                            "text/plain; charset=utf-8",
                            "Not found; try " + METRICS_PATH + ", " + LIVE_PATH + " or " + READY_PATH + "\n");
            }
        }
    }

    private void sendHealth(HttpExchange exchange, HealthReport report, String probe) throws IOException {
        if (!report.healthy()) {
            LOG.debug("{}: {} probe failing: {}", service, probe, report.failing());
        }
        send(exchange, report.healthy() ? 200 : 503, "application/json", report.toJson() + "\n");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        gcMetrics.close();
    }
}
