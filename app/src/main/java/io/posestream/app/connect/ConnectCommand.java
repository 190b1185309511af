package io.posestream.app.connect;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.app.PosestreamCli;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.ConnectorRest;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.cli.StartupOptions;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code posestream connect}: a Kafka Connect worker in distributed mode against any Kafka cluster, with the
 * posestream plugin directory on its {@code plugin.path}. Workers started with the same {@code --group-id} form one
 * Connect cluster: they share the connectors, spread the tasks (cameras) and take over a dead worker's tasks.
 */
@Command(
        name = "connect",
        mixinStandardHelpOptions = true,
        description = "Run a Kafka Connect worker (distributed mode, exactly-once source support) with the posestream "
                + "RTSP source connector loaded: cameras are spread over every worker of the same --group-id and "
                + "move to the survivors when a worker dies. Connectors are managed through Connect's REST API "
                + "(--rest-port) or created at start from --connector files. Runs until Ctrl-C. See docs/connect.md.")
public final class ConnectCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectCommand.class);
    private static final long READY_TIMEOUT_SECONDS = 120;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--group-id",
            description = "The Connect cluster this worker joins; also names its internal topics <group-id>-configs, "
                    + "-offsets and -status (default: ${DEFAULT-VALUE}).",
            defaultValue = "posestream-connect")
    String groupId;

    @Option(
            names = "--rest-address",
            description = "Address of Connect's REST API (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String restAddress;

    @Option(
            names = "--rest-port",
            description = "Port of Connect's REST API; 0 = any free port (default: ${DEFAULT-VALUE}).",
            defaultValue = "8083")
    int restPort;

    @Option(
            names = "--rest-advertised-host",
            paramLabel = "HOST",
            description = "Host the other workers reach this worker's REST API at (default: Connect's choice, the "
                    + "listener's host or this machine's name).")
    String advertisedHost;

    @Option(
            names = "--plugin-path",
            paramLabel = "DIR",
            description = "Directory of Connect plugins, holding posestream-connect/lib/*.jar (default: plugins/ next "
                    + "to posestream.jar, where the build unpacks the plugin).")
    Path pluginPath;

    @Option(
            names = "--exactly-once",
            arity = "1",
            paramLabel = "true|false",
            description = "exactly.once.source.support=enabled: each poll's frames and the cameras' last seq commit in "
                    + "one transaction, so a crash duplicates nothing for read_committed consumers "
                    + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "true")
    boolean exactlyOnce;

    @Option(
            names = "--rebalance-delay-ms",
            description = "scheduled.rebalance.max.delay.ms: how long a departed worker's tasks wait for it to come "
                    + "back before moving; a dead worker's cameras resume on the others after about "
                    + "session.timeout.ms (10 s) plus this (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    long rebalanceDelayMs;

    @Option(
            names = "--connector",
            paramLabel = "FILE",
            description = "A connector to create (or update) once the worker has joined: a properties or JSON file "
                    + "with name and the connector's settings; schema.registry.url defaults to "
                    + "--schema-registry-url. Repeatable.")
    List<Path> connectorFiles = new ArrayList<>();

    @Option(
            names = "--worker",
            paramLabel = "KEY=VALUE",
            description = "Any Connect worker setting, applied last (e.g. session.timeout.ms=6000); repeatable.")
    Map<String, String> worker = new LinkedHashMap<>();

    @Mixin
    EndpointOptions endpoint;

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> client = cluster.clientConfig();
        Path plugins = pluginPath != null ? pluginPath : defaultPluginPath();
        if (!Files.isDirectory(plugins.resolve("posestream-connect").resolve("lib"))) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--plugin-path " + plugins + " holds no posestream-connect/lib: build the project (mvn install) "
                            + "or point it at the unpacked posestream-connect plugin");
        }
        List<ConnectorFile> connectors = new ArrayList<>();
        for (Path file : connectorFiles) {
            try {
                connectors.add(ConnectorFile.read(file).withDefaults(registryDefaults(client)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        WorkerSettings settings = new WorkerSettings(
                cluster.bootstrapServers(),
                groupId,
                restAddress,
                restPort,
                advertisedHost,
                plugins,
                exactlyOnce,
                rebalanceDelayMs,
                withoutRegistry(client),
                worker);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaMetricsBridge.bindTo(registry);
        ServiceEndpoint metrics = endpoint.start("connect", registry);
        // Serving health while the worker waits for the cluster and starts (plugin scan, internal topics), so a
        // probe sees why it is not ready yet.
        HealthFlag started = new HealthFlag("worker starting");
        if (metrics != null) {
            metrics.readiness("worker started", started);
        }
        ClusterWatch watch =
                startup.watch("connect", "to run the Connect worker of group " + groupId, cluster, metrics);
        Connect<DistributedHerder> connect;
        try {
            watch.awaitReachable();
            connect = new ConnectDistributed().startConnect(settings.properties());
        } catch (Exception e) {
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        started.up(connect.rest().advertisedUrl().toString());
        if (metrics != null) {
            metrics.readiness(
                    "worker joined group " + groupId,
                    () -> connect.herder().isReady()
                            ? HealthCheck.Result.up()
                            : HealthCheck.Result.down("joining the Connect cluster"));
        }
        URI rest = connect.rest().advertisedUrl();
        System.out.println(ConnectorRest.printedUrl(rest));
        System.out.flush();
        try {
            createConnectors(connect, new ConnectorRest(rest), connectors);
        } catch (Exception e) {
            connect.stop();
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        Foreground.runUntilStopped(() -> {
            connect.stop();
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
        });
        return 0;
    }

    /** The registry settings a connector file need not repeat: the cluster's, named once for every service. */
    private static Map<String, String> registryDefaults(Map<String, Object> client) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String key : AvroSerdeConfig.definition().names()) {
            if (client.containsKey(key)) {
                defaults.put(key, String.valueOf(client.get(key)));
            }
        }
        return defaults;
    }

    private static Map<String, Object> withoutRegistry(Map<String, Object> client) {
        Map<String, Object> kafka = new LinkedHashMap<>(client);
        AvroSerdeConfig.definition().names().forEach(kafka::remove);
        return kafka;
    }

    private static void createConnectors(
            Connect<DistributedHerder> connect, ConnectorRest rest, List<ConnectorFile> connectors) throws Exception {
        if (connectors.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (!connect.herder().isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the worker did not join its Connect cluster within " + READY_TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(200);
        }
        for (ConnectorFile connector : connectors) {
            while (true) {
                Map<String, String> wanted = new java.util.TreeMap<>(connector.config());
                wanted.put("name", connector.name());
                Map<String, String> current = rest.configOrNull(connector.name());
                if (wanted.equals(current)) {
                    LOG.info("Connector {} already has this configuration", connector.name());
                    break;
                }
                ConnectorRest.Answer answer = rest.put(connector.name(), connector.config());
                if (answer.ok()) {
                    LOG.info("Connector {} {}", connector.name(), current == null ? "created" : "updated");
                    break;
                }
                // 409: a rebalance is in progress, or the leader is not known yet: try again shortly.
                if (answer.status() != 409 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Connector " + connector.name() + " refused (HTTP "
                            + answer.status() + "): "
                            + answer.body().path("message").asText(answer.body().toString()));
                }
                Thread.sleep(500);
            }
        }
    }

    /** plugins/ beside posestream.jar (or beside target/classes when run from a build tree). */
    static Path defaultPluginPath() {
        try {
            Path code = Path.of(PosestreamCli.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code.getParent().resolve("plugins");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("plugins");
        }
    }
}
