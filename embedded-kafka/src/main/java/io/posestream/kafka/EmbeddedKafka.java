package io.posestream.kafka;

import io.posestream.kafka.security.BrokerSecurity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka (KRaft) server running inside the current JVM.
 *
 * <p>The node runs in KRaft <em>combined</em> mode ({@code process.roles=broker,controller}, {@code node.id=1})
 * with a static single-voter controller quorum. Both listeners bind to {@code 127.0.0.1} only:
 * <ul>
 *   <li>the broker listener ({@code PLAINTEXT}, or {@code SASL_SSL} when secured), whose address is
 *       {@link #bootstrapServers()};</li>
 *   <li>the controller listener ({@code CONTROLLER}), used only by the node itself.</li>
 * </ul>
 * Ports not given by the caller are picked from the free ephemeral ports on the first {@link #start()} and kept
 * for the life of the instance, so a {@link #stop()} / {@link #start()} cycle keeps the same bootstrap address.
 *
 * <p>The broker is tuned for a single node: all internal topics (consumer offsets, transaction state, share-group
 * state) use replication factor 1 and min ISR 1 with few partitions, the initial consumer-group rebalance delay is
 * zero and topic auto-creation is disabled. Record size limits are the topics' own ({@code max.message.bytes}, set
 * by whoever creates them), not the broker's. Any broker property can be overridden through
 * {@link Builder#property(String, Object)}.
 *
 * <h2>Storage and lifecycle</h2>
 * <ul>
 *   <li>Without {@link Builder#logDir(Path)} a temporary directory is created; it is deleted by {@link #close()}.
 *       A caller-supplied directory is never deleted.</li>
 *   <li>On {@link #start()}, a directory without {@code meta.properties} is formatted (new cluster id); a directory
 *       that is already formatted is reused as is, keeping its cluster id, topics and data.</li>
 *   <li>{@link #stop()} shuts the server down cleanly and keeps the data; the instance can be started again.
 *       {@link #close()} stops the server and then deletes the temporary directory if this instance created it.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir).build()) {
 *     kafka.start();
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:PORT"
 *     ...
 * }
 * }</pre>
 *
 * <h2>Secured</h2>
 * With {@link Builder#security(BrokerSecurity)} the client listener is {@code SASL_SSL} (SCRAM-SHA-512 over TLS, with
 * the certificate and users of the given {@link BrokerSecurity}), the controller listener demands the broker's own
 * certificate, and KRaft's {@code StandardAuthorizer} allows only what ACLs grant (super users aside). The SCRAM
 * users are written into the metadata when the log directory is formatted (and added through the super user when a
 * formatted directory is reused). {@link #adminConfig()} then carries the super user's settings.
 *
 * <p>Caveat: the Kafka server treats some internal errors (e.g. a corrupt metadata log) as fatal and halts the
 * process through {@code org.apache.kafka.common.utils.Exit}; this class does not change that behaviour.
 *
 * <p>Instances are thread-safe: {@link #start()}, {@link #stop()} and {@link #close()} are serialized.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Host both listeners bind to. */
    public static final String HOST = "127.0.0.1";

    /** Node id of the single broker+controller. */
    public static final int NODE_ID = 1;

    /** Default time {@link #start()} waits for the broker to answer requests. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String PLAIN_LISTENER = "PLAINTEXT";
    private static final String SECURE_LISTENER = "SASL_SSL";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int MAX_BIND_ATTEMPTS = 3;
    private static final String META_PROPERTIES = "meta.properties";

    private final Path logDir;
    private final boolean ownsLogDir;
    private final boolean brokerPortFixed;
    private final boolean controllerPortFixed;
    private final Map<String, String> overrides;
    private final Map<String, Listener> extraListeners;
    private final Duration startupTimeout;
    private final BrokerSecurity security;

    private int brokerPort;
    private int controllerPort;
    private boolean portsResolved;
    private String clusterId;
    private KafkaRaftServer server;
    private boolean closed;
    private boolean everStarted;

    private EmbeddedKafka(Builder b) {
        if (b.logDir != null) {
            this.logDir = b.logDir.toAbsolutePath().normalize();
            this.ownsLogDir = false;
        } else {
            try {
                this.logDir = Files.createTempDirectory("embedded-kafka-").toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary Kafka log directory", e);
            }
            this.ownsLogDir = true;
        }
        this.brokerPort = b.brokerPort;
        this.controllerPort = b.controllerPort;
        this.brokerPortFixed = b.brokerPort != 0;
        this.controllerPortFixed = b.controllerPort != 0;
        this.overrides = Map.copyOf(b.overrides);
        this.extraListeners = Map.copyOf(b.listeners);
        this.startupTimeout = b.startupTimeout;
        this.security = b.security;
    }

    /** @return a builder with all defaults (temporary log dir, free ports). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates and starts an instance with all defaults: a temporary log dir (deleted on {@link #close()}) and
     * free ports.
     *
     * @return the started instance; the caller must {@link #close()} it
     */
    public static EmbeddedKafka startNew() {
        return builder().start();
    }

    /**
     * Creates and starts an instance on the given (possibly already formatted) log directory, with free ports.
     *
     * @param logDir the directory holding the Kafka data; created if missing, never deleted
     * @return the started instance; the caller must {@link #close()} it
     */
    public static EmbeddedKafka startNew(Path logDir) {
        return builder().logDir(logDir).start();
    }

    /**
     * Starts the server and returns once the broker answers an Admin {@code describeCluster} request.
     * Formats the log directory first if it has no {@code meta.properties}. Does nothing if already running.
     *
     * @return this instance
     * @throws IllegalStateException if this instance was closed
     * @throws EmbeddedKafkaException if the server cannot be started or does not become ready in time
     */
    public synchronized EmbeddedKafka start() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka has been closed");
        }
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot create Kafka log directory " + logDir, e);
        }
        boolean retryBind = resolvePorts();
        boolean formattedBefore = Files.exists(logDir.resolve(META_PROPERTIES));
        clusterId = formatIfNeeded();

        for (int attempt = 1; ; attempt++) {
            KafkaRaftServer candidate = null;
            try {
                candidate = new KafkaRaftServer(KafkaConfig.fromProps(serverProperties(), false), Time.SYSTEM);
                candidate.startup();
                server = candidate;
                awaitReady(t0);
                if (security != null && formattedBefore) {
                    addScramUsers();
                }
                everStarted = true;
                break;
            } catch (RuntimeException e) {
                server = null;
                shutdownQuietly(candidate);
                boolean bindProblem = hasCause(e, BindException.class);
                if (bindProblem && retryBind && attempt < MAX_BIND_ATTEMPTS) {
                    LOG.warn("Embedded Kafka could not bind its ports ({}), retrying with other ports", e.toString());
                    forgetPickedPorts();
                    retryBind = resolvePorts();
                    continue;
                }
                String where =
                        "log dir " + logDir + ", broker port " + brokerPort + ", controller port " + controllerPort;
                if (!everStarted) {
                    forgetPickedPorts(); // nothing was ever served on them: a later start() may pick new ones
                }
                if (e instanceof EmbeddedKafkaException) {
                    throw e;
                }
                throw new EmbeddedKafkaException("Cannot start embedded Kafka (" + where + ")", e);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        LOG.info(
                "Embedded Kafka broker ready at {}{} (log dir {}, cluster id {}) in {} ms",
                bootstrapServers(),
                security == null
                        ? ""
                        : " (SASL_SSL " + BrokerSecurity.MECHANISM + ", ACLs; security files in " + security.directory()
                                + ")",
                logDir,
                clusterId,
                ms);
        return this;
    }

    /**
     * Shuts the server down and waits for the shutdown to complete. Data stays in the log directory, so the
     * instance can be {@link #start() started} again with the same ports, topics and records.
     * Does nothing if not running.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info(
                "Embedded Kafka broker at {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * {@link #stop() Stops} the server and, if this instance created the log directory, deletes it.
     * The instance cannot be started again. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (ownsLogDir) {
                deleteRecursively(logDir);
            }
        }
    }

    /** @return {@code true} between a successful {@link #start()} and the next {@link #stop()}. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * @return the broker address, {@code "127.0.0.1:PORT"}
     * @throws IllegalStateException if no broker port was given and the instance was never started
     */
    public synchronized String bootstrapServers() {
        return HOST + ":" + brokerPort();
    }

    /**
     * @return the broker (client) listener port
     * @throws IllegalStateException if no port was given and the instance was never started
     */
    public synchronized int brokerPort() {
        if (brokerPort == 0) {
            throw new IllegalStateException("Broker port is picked on the first start()");
        }
        return brokerPort;
    }

    /**
     * @return the controller listener port
     * @throws IllegalStateException if no port was given and the instance was never started
     */
    public synchronized int controllerPort() {
        if (controllerPort == 0) {
            throw new IllegalStateException("Controller port is picked on the first start()");
        }
        return controllerPort;
    }

    /** @return the security of a secured broker ({@link Builder#security(BrokerSecurity)}), else empty */
    public Optional<BrokerSecurity> security() {
        return Optional.ofNullable(security);
    }

    /**
     * Settings for an admin client (or any client) that may do everything on this broker: the bootstrap address,
     * plus the super user's SASL_SSL settings when the broker is secured.
     *
     * @throws IllegalStateException if no broker port was given and the instance was never started
     */
    public synchronized Map<String, Object> adminConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (security != null) {
            config.putAll(security.clientConfig(BrokerSecurity.SUPER_USER));
        }
        return config;
    }

    /** @return the (absolute) log directory; it holds both the data and the KRaft metadata log */
    public Path logDir() {
        return logDir;
    }

    /** @return {@code true} if the log directory is a temporary one created (and deleted) by this instance */
    public boolean ownsLogDir() {
        return ownsLogDir;
    }

    /**
     * @return the cluster id from the log directory's {@code meta.properties}, or empty before the first start
     */
    public synchronized Optional<String> clusterId() {
        return Optional.ofNullable(clusterId);
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + HOST + ":" + brokerPort + ", controller " + controllerPort + ", logDir " + logDir
                + (server != null ? ", running]" : "]");
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The broker properties; caller overrides are applied last. */
    private Properties serverProperties() {
        String clientListener = security == null ? PLAIN_LISTENER : SECURE_LISTENER;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        // Extra listeners (a proxy in front of the broker) are PLAINTEXT; the builder refuses them with security.
        StringBuilder listeners = new StringBuilder(clientListener + "://" + HOST + ":" + brokerPort);
        StringBuilder advertised = new StringBuilder(clientListener + "://" + HOST + ":" + brokerPort);
        StringBuilder protocols = new StringBuilder(PLAIN_LISTENER + ":PLAINTEXT");
        extraListeners.forEach((name, listener) -> {
            listeners.append(',').append(name).append("://").append(HOST).append(':');
            listeners.append(listener.port());
            advertised.append(',').append(name).append("://").append(HOST).append(':');
            advertised.append(listener.advertisedPort());
            protocols.append(',').append(name).append(":PLAINTEXT");
        });
        listeners
                .append(',')
                .append(CONTROLLER_LISTENER)
                .append("://")
                .append(HOST)
                .append(':');
        listeners.append(controllerPort);
        protocols.append(',').append(CONTROLLER_LISTENER).append(":PLAINTEXT");
        p.put("listeners", listeners.toString());
        p.put("advertised.listeners", advertised.toString());
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listener.security.protocol.map", protocols.toString());
        p.put("inter.broker.listener.name", clientListener);
        if (security != null) {
            p.putAll(security.brokerProperties(SECURE_LISTENER, CONTROLLER_LISTENER));
        }
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());

        // single node
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");

        // large records

        // modest footprint for an in-process server (the cleaner's default dedupe buffer is 128 MiB of heap)
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** Formats the log directory unless it already holds {@code meta.properties}; returns the cluster id. */
    private String formatIfNeeded() {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
            Properties mp = new Properties();
            try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                mp.load(r);
            } catch (IOException e) {
                throw new EmbeddedKafkaException("Cannot read " + meta, e);
            }
            String id = mp.getProperty("cluster.id");
            if (id == null || id.isBlank()) {
                throw new EmbeddedKafkaException("No cluster.id in " + meta, null);
            }
            LOG.debug("Reusing formatted Kafka log dir {} (cluster id {})", logDir, id);
            return id;
        }
        String id = Uuid.randomUuid().toString();
        // StorageTool (kafka_2.13) wraps org.apache.kafka.metadata.storage.Formatter, which is only a runtime
        // dependency of kafka_2.13. With a static controller.quorum.voters it formats with kraft.version 0: no voter
        // endpoints are stored in the metadata log, so the controller port may even change between runs.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path configFile = null;
        try {
            configFile = Files.createTempFile("embedded-kafka-format-", ".properties");
            try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                serverProperties().store(w, "embedded-kafka format");
            }
            List<String> args =
                    new ArrayList<>(List.of("format", "--config", configFile.toString(), "--cluster-id", id));
            if (security != null) {
                args.addAll(security.formatArguments());
            }
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(args.toArray(String[]::new), ps);
            }
            if (rc != 0) {
                throw new EmbeddedKafkaException(
                        "Formatting Kafka log dir " + logDir + " failed (exit code " + rc + "): "
                                + out.toString(StandardCharsets.UTF_8).trim(),
                        null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof EmbeddedKafkaException) {
                throw (EmbeddedKafkaException) e;
            }
            throw new EmbeddedKafkaException(
                    "Cannot format Kafka log dir " + logDir + ": "
                            + out.toString(StandardCharsets.UTF_8).trim(),
                    e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}", configFile, e);
                }
            }
        }
        LOG.debug(
                "Formatted Kafka log dir {} (cluster id {}): {}",
                logDir,
                id,
                out.toString(StandardCharsets.UTF_8).trim());
        return id;
    }

    /**
     * Picks free ports for those not given. Returns whether a bind failure may be retried with other ports, i.e.
     * whether both ports were picked now (a caller-given port is never replaced).
     */
    private boolean resolvePorts() {
        if (portsResolved) {
            return false;
        }
        boolean picked = false;
        // The OS may hand out a port again once its probe socket is closed: never pick one already in use here.
        Set<Integer> taken = new HashSet<>();
        extraListeners.values().forEach(listener -> taken.add(listener.port()));
        if (brokerPort == 0) {
            brokerPort = freePortOtherThan(taken);
            picked = true;
        }
        taken.add(brokerPort);
        if (controllerPort == 0) {
            controllerPort = freePortOtherThan(taken);
            picked = true;
        }
        portsResolved = true;
        return picked && !brokerPortFixed && !controllerPortFixed;
    }

    private void forgetPickedPorts() {
        if (!brokerPortFixed) {
            brokerPort = 0;
        }
        if (!controllerPortFixed) {
            controllerPort = 0;
        }
        portsResolved = false;
    }

    private static int freePortOtherThan(Set<Integer> taken) {
        int port;
        do {
            port = freePort();
        } while (taken.contains(port));
        return port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot find a free port on " + HOST, e);
        }
    }

    /** Waits until an Admin describeCluster round-trip succeeds and reports this node. */
    private void awaitReady(long startNanos) {
        long deadline = startNanos + startupTimeout.toNanos();
        Properties ap = new Properties();
        ap.putAll(adminConfig());
        ap.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        ap.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        ap.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        ap.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        ap.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        ap.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        Exception last = null;
        try (Admin admin = Admin.create(ap)) {
            while (System.nanoTime() < deadline) {
                try {
                    DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
                    String id = r.clusterId().get(5, TimeUnit.SECONDS);
                    boolean hasSelf = r.nodes().get(5, TimeUnit.SECONDS).stream()
                            .map(Node::id)
                            .anyMatch(n -> n == NODE_ID);
                    if (hasSelf && Objects.equals(id, clusterId)) {
                        return;
                    }
                    last = new IllegalStateException(
                            "describeCluster returned cluster id " + id + (hasSelf ? "" : " without node " + NODE_ID));
                } catch (ExecutionException e) {
                    last = e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                } catch (TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for embedded Kafka to be ready", e);
        }
        throw new EmbeddedKafkaException(
                "Embedded Kafka at " + HOST + ":" + brokerPort + " not ready within " + startupTimeout.toMillis()
                        + " ms",
                last);
    }

    /**
     * Upserts every SCRAM user through the super user: a reused log directory may predate users added to the
     * security files since (the super user itself was written when the directory was formatted).
     */
    private void addScramUsers() {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
        for (String user : security.users()) {
            upserts.add(new UserScramCredentialUpsertion(user, info, security.password(user)));
        }
        try (Admin admin = Admin.create(adminConfig())) {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while adding SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException("Cannot add SCRAM users " + security.users() + ": " + e.getMessage(), e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        if (s == null) {
            return;
        }
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error shutting down embedded Kafka after a failed start", e);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static void deleteRecursively(Path dir) {
        try {
            if (Files.exists(dir)) {
                PathUtils.deleteDirectory(dir);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete embedded Kafka log dir {}", dir, e);
        }
    }

    /**
     * An extra PLAINTEXT listener on 127.0.0.1: clients that bootstrap through it are told to connect to
     * {@code advertisedPort}, e.g. a proxy in front of {@code port}. Kafka clients follow the advertised address of
     * the listener they came in on, so one listener per proxy keeps each client behind its own proxy.
     *
     * @param port           the port the broker listens on
     * @param advertisedPort the port clients of this listener are sent to
     */
    public record Listener(int port, int advertisedPort) {}

    /** The extra listeners by name, as built. */
    public Map<String, Listener> extraListeners() {
        return extraListeners;
    }

    /** Thrown when the embedded server cannot be formatted, started or reached. */
    public static final class EmbeddedKafkaException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EmbeddedKafkaException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Builder for {@link EmbeddedKafka}. All settings are optional. */
    public static final class Builder {
        private Path logDir;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Listener> listeners = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private BrokerSecurity security;

        private Builder() {}

        /**
         * @param logDir directory for data and metadata; created if missing, formatted if it has no
         *               {@code meta.properties}, reused otherwise, never deleted. Default: a temporary directory
         *               deleted by {@link EmbeddedKafka#close()}.
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /**
         * @param port broker listener port on 127.0.0.1; 0 (default) picks a free port on the first start
         * @return this builder
         */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port);
            return this;
        }

        /**
         * @param port controller listener port on 127.0.0.1; 0 (default) picks a free port on the first start
         * @return this builder
         */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /**
         * Adds a PLAINTEXT listener named {@code name} on {@code port} that tells its clients to connect to
         * {@code advertisedPort} (see {@link Listener}). Both ports are fixed: they are needed before the start.
         *
         * @param name a listener name: letters, digits and underscores, not PLAINTEXT or CONTROLLER
         * @return this builder
         */
        public Builder listener(String name, int port, int advertisedPort) {
            if (!name.matches("[A-Z][A-Z0-9_]*")
                    || name.equals(PLAIN_LISTENER)
                    || name.equals(SECURE_LISTENER)
                    || name.equals(CONTROLLER_LISTENER)) {
                throw new IllegalArgumentException("Invalid listener name '" + name
                        + "': upper-case letters, digits and underscores, not " + PLAIN_LISTENER + ", "
                        + SECURE_LISTENER + " or "
                        + CONTROLLER_LISTENER);
            }
            if (port == 0 || advertisedPort == 0) {
                throw new IllegalArgumentException(
                        "Listener " + name + " needs fixed ports, got " + port + " and " + advertisedPort);
            }
            listeners.put(name, new Listener(checkPort(port), checkPort(advertisedPort)));
            return this;
        }

        /**
         * Sets (or overrides) a broker property; applied after the defaults. Overriding listener, quorum or
         * directory settings is unsupported.
         *
         * @param key   a Kafka broker config name
         * @param value its value ({@code toString()} is used)
         * @return this builder
         */
        public Builder property(String key, Object value) {
            overrides.put(Objects.requireNonNull(key, "key"), String.valueOf(Objects.requireNonNull(value, key)));
            return this;
        }

        /**
         * @param properties broker properties, as with {@link #property(String, Object)}
         * @return this builder
         */
        public Builder properties(Map<String, ?> properties) {
            properties.forEach(this::property);
            return this;
        }

        /**
         * @param timeout how long {@link EmbeddedKafka#start()} waits for the broker to answer (default 60 s)
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Secures the broker: a SASL_SSL client listener with the users and certificate of {@code security}, a
         * mutual-TLS controller listener and the StandardAuthorizer (see the class comment).
         *
         * @return this builder
         */
        public Builder security(BrokerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** @return a new, not yet started instance (a default temporary log dir is created now) */
        public EmbeddedKafka build() {
            if (security != null && !listeners.isEmpty()) {
                // A PLAINTEXT side door would bypass SASL_SSL; the proxies of the fault suite run unsecured.
                throw new IllegalArgumentException("Extra listeners " + listeners.keySet()
                        + " are PLAINTEXT and cannot be combined with security");
            }
            return new EmbeddedKafka(this);
        }

        /** @return a new instance, already {@link EmbeddedKafka#start() started} */
        public EmbeddedKafka start() {
            EmbeddedKafka kafka = build();
            try {
                return kafka.start();
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid port " + port);
            }
            return port;
        }
    }
}
