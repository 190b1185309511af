package io.posestream.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: reads frames and pose events from Kafka, joins them per camera and serves a page that shows
 * every camera's latest frame with its tracked skeletons, pushed as server-sent events.
 *
 * <pre>{@code
 * try (DashboardServer dashboard = DashboardServer.start(Map.of(
 *         "bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081"))) {
 *     System.out.println("Dashboard at " + dashboard.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>Routes: {@code /} the page, {@code /static/*} its script and style, {@code /api/skeleton} the COCO-17 limbs and
 * drawing settings, {@code /api/state} every camera's figures (and analytics panel) and the skip counters as JSON,
 * {@code /events} the server-sent event stream ({@code tile}, {@code figures}, {@code analytics} and {@code counters}
 * events).
 *
 * <p>With {@code dashboard.rules.file} (the analytics stage's rules file), each camera's zones and lines are drawn
 * on its tile, with the zone counts and the latest activity events beside it.
 *
 * <p>With {@code dashboard.auth.password} or {@code dashboard.auth.token} set ({@link DashboardAccess}), every route
 * but {@code /login} refuses a request without a session or the bearer token: the page is redirected to the login
 * form, everything else (the event stream included) is answered 401. {@code POST /login} starts a session,
 * {@code POST /logout} ends it. Refused logins are logged with the user name they claimed, never a password.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String WEB = "/io/posestream/dashboard/web/";
    private static final Map<String, String> STATIC = Map.of(
            "/static/dashboard.js", "text/javascript; charset=utf-8",
            "/static/dashboard.css", "text/css; charset=utf-8");
    /** A comment line this often keeps proxies from closing the stream and finds browsers that went away. */
    private static final long KEEPALIVE_MS = 10_000;
    /** Largest login form accepted: a user name and a password, with room to spare. */
    private static final int MAX_LOGIN_BYTES = 4096;
    /** Slows down password guessing. */
    private static final long FAILED_LOGIN_DELAY_MS = 500;

    private final DashboardConfig config;
    private final DashboardAccess access;
    private final EventHub hub = new EventHub();
    private final LiveBoard board;
    private final TopicReader reader;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] skeleton;
    private final URI url;

    private DashboardServer(DashboardConfig config) throws IOException {
        this.config = config;
        this.access = new DashboardAccess(config, System::currentTimeMillis);
        this.board = new LiveBoard(config, hub, System::currentTimeMillis);
        this.skeleton = TileMessages.skeleton(
                        config.keypointScoreThreshold(), config.staleAfter().toMillis())
                .getBytes(StandardCharsets.UTF_8);
        this.http = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 64);
        AtomicInteger threadIds = new AtomicInteger();
        // One thread per open event stream (each blocks writing to its browser), so a cached pool.
        this.handlers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "posestream-dashboard-http-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(handlers);
        http.createContext("/", this::route);
        this.reader = new TopicReader(config, board);
        String host = http.getAddress().getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : http.getAddress().getHostString();
        this.url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + http.getAddress().getPort() + "/");
    }

    /** Starts reading the topics and serving the page; see {@link DashboardConfig} for the settings. */
    public static DashboardServer start(Map<String, ?> settings) {
        return start(new DashboardConfig(settings));
    }

    public static DashboardServer start(DashboardConfig config) {
        DashboardServer server;
        try {
            server = new DashboardServer(config);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot serve the dashboard on " + config.bindAddress() + ":"
                            + config.port() + " (" + DashboardConfig.BIND_ADDRESS + ", " + DashboardConfig.PORT + "): "
                            + e.getMessage(),
                    e);
        }
        server.reader.start();
        server.http.start();
        LOG.info(
                "Dashboard serving {} (frames from {}, pose events from {}{}; {})",
                server.url,
                config.framesTopic(),
                config.eventsTopic(),
                config.rules()
                        .map(rules -> ", zones and lines of " + rules.ruleCount() + " rules for cameras "
                                + rules.cameras().keySet() + " from " + config.getString(DashboardConfig.RULES_FILE)
                                + ", activity events from " + config.activityTopic() + ", zone counts from "
                                + config.countsTopic())
                        .orElse(""),
                server.access.required()
                        ? (server.access.loginEnabled() ? "login as " + config.authUser() : "no login form")
                                + (config.authToken().isEmpty() ? "" : ", bearer token accepted")
                        : "no login");
        if (!server.access.required() && !server.http.getAddress().getAddress().isLoopbackAddress()) {
            LOG.warn(
                    "The dashboard is open to the network on {} without a login: set {} or {}",
                    config.bindAddress(),
                    DashboardConfig.AUTH_PASSWORD,
                    DashboardConfig.AUTH_TOKEN);
        }
        return server;
    }

    /** Partitions of the frame and event topics being read; 0 until the topics exist (readiness). */
    public int assignedPartitions() {
        return reader.assignedPartitions();
    }

    /** Whether the topic reader is alive (liveness): it stops only on close or a fatal consumer error. */
    public boolean reading() {
        return reader.reading();
    }

    /** The page's address, for example {@code http://127.0.0.1:8080/}. */
    public URI url() {
        return url;
    }

    /** Latest figures of every camera seen, by camera id (for status lines and tests). */
    public Map<String, CameraFigures> figures() {
        return board.figures();
    }

    /** What arrived, was joined and was skipped since start. */
    public SkipCounters counters() {
        return board.counters();
    }

    /** Browsers connected to the event stream now. */
    public int clients() {
        return hub.clients();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (access.required() && !admitted(exchange, path)) {
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "text/plain; charset=utf-8", "Only GET\n".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.equals("/index.html")) {
                byte[] page = resource("index.html");
                if (access.loginEnabled()) {
                    page = new String(page, StandardCharsets.UTF_8)
                            .replace(
                                    "<form id=\"logout\" method=\"post\" action=\"logout\" hidden>",
                                    "<form id=\"logout\" method=\"post\" action=\"logout\">")
                            .getBytes(StandardCharsets.UTF_8);
                }
                send(exchange, 200, "text/html; charset=utf-8", page);
            } else if (STATIC.containsKey(path)) {
                send(exchange, 200, STATIC.get(path), resource(path.substring("/static/".length())));
            } else if (path.equals("/api/skeleton")) {
                send(exchange, 200, "application/json", skeleton);
            } else if (path.equals("/api/state")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        TileMessages.state(board.figures().values(), board.analytics(), board.counters(), hub.clients())
                                .getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/events")) {
                stream(exchange);
            } else {
                send(
                        exchange,
                        404,
                        "text/plain; charset=utf-8",
                        ("No such page: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Answers the login routes and refuses what needs a session; returns whether the request may go on to the
     * dashboard's own routes.
     */
    private boolean admitted(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (path.equals("/login") && access.loginEnabled()) {
            if ("POST".equals(method)) {
                login(exchange);
            } else {
                send(exchange, 200, "text/html; charset=utf-8", loginPage(null));
            }
            return false;
        }
        if (path.equals("/logout") && "POST".equals(method)) {
            access.logout(cookies);
            exchange.getResponseHeaders().add("Set-Cookie", DashboardAccess.expiredCookie());
            redirect(exchange, access.loginEnabled() ? "login" : "./");
            return false;
        }
        if (access.allows(cookies, exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        LOG.debug("Refused {} {} from {}: no session or token", method, path, exchange.getRemoteAddress());
        if (access.loginEnabled() && "GET".equals(method) && (path.equals("/") || path.equals("/index.html"))) {
            redirect(exchange, "login");
        } else {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"posestream dashboard\"");
            send(
                    exchange,
                    401,
                    "text/plain; charset=utf-8",
                    ("Log in first" + (access.loginEnabled() ? " (/login)" : "") + " or send Authorization: Bearer\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** Checks a submitted login form: a session cookie and the page, or the form again with an error. */
    private void login(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_LOGIN_BYTES + 1);
        if (body.length > MAX_LOGIN_BYTES) {
            send(exchange, 413, "text/plain; charset=utf-8", "Login form too large\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String user = form.getOrDefault("user", "");
        String session = access.login(user, form.get("password"));
        if (session == null) {
            LOG.warn(
                    "Dashboard login refused for user '{}' from {}",
                    user.length() > 64 ? user.substring(0, 64) + "..." : user,
                    exchange.getRemoteAddress());
            try {
                Thread.sleep(FAILED_LOGIN_DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 401, "text/html; charset=utf-8", loginPage("Wrong user name or password."));
            return;
        }
        LOG.info("Dashboard login of {} from {}", user, exchange.getRemoteAddress());
        exchange.getResponseHeaders().add("Set-Cookie", access.sessionCookie(session));
        redirect(exchange, "./");
    }

    private static byte[] loginPage(String error) throws IOException {
        String page = new String(resource("login.html"), StandardCharsets.UTF_8);
        if (error != null) {
            page = page.replace("<!--message-->", "<p id=\"error\" class=\"error\">" + error + "</p>");
        }
        return page.getBytes(StandardCharsets.UTF_8);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(303, -1);
    }

    /** Serves one browser's event stream until it goes away or the server closes. */
    private void stream(HttpExchange exchange) throws IOException {
        if (clients.incrementAndGet() > config.maxClients()) {
            clients.decrementAndGet();
            send(
                    exchange,
                    503,
                    "text/plain; charset=utf-8",
                    ("Too many dashboard clients (" + config.maxClients() + ", " + DashboardConfig.MAX_CLIENTS + ")\n")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        ConflatingChannel channel = hub.connect();
        String who = String.valueOf(exchange.getRemoteAddress());
        LOG.info("Browser {} connected ({} now)", who, hub.clients());
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            // Browsers retry after this many ms when the stream drops (for example a server restart).
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!channel.isClosed()) {
                List<byte[]> messages = channel.take(KEEPALIVE_MS);
                if (messages.isEmpty() && !channel.isClosed()) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                }
                for (byte[] message : messages) {
                    out.write(message);
                }
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("Browser {} went away: {}", who, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.disconnect(channel);
            clients.decrementAndGet();
            LOG.info("Browser {} disconnected ({} now)", who, hub.clients());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(WEB + name)) {
            if (in == null) {
                throw new IOException("Dashboard resource " + WEB + name + " missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    /** Stops serving and reading; open event streams end (browsers show "disconnected" and retry). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        hub.closeAll();
        http.stop(0);
        reader.close();
        handlers.shutdownNow();
        LOG.info("Dashboard at {} stopped", url);
    }
}
