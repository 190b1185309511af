package io.posestream.app.cluster;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.Foreground;
import io.posestream.cli.KafkaOptions;
import io.posestream.cli.StartupOptions;
import io.posestream.observability.HealthFlag;
import io.posestream.observability.ServiceEndpoint;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.registry.RegistryAccess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the embedded schema registry against any Kafka cluster until interrupted. Settings come the way every
 * service takes them (flags, {@code POSESTREAM_*} environment, {@code --config} file; Kafka client settings passed
 * through, so the store can use SASL/TLS).
 */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Run a schema registry speaking Confluent's REST API, stored in a compacted Kafka topic, "
                + "and print its URL.")
public final class RegistryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--port",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).",
            defaultValue = "8081")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(
            names = "--topic",
            description = "Topic storing the schemas (default: ${DEFAULT-VALUE}).",
            defaultValue = Topics.SCHEMAS)
    String topic;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate chain of this PKCS12 (or JKS) key store "
                    + "(e.g. server.p12 of `posestream broker --secure`). Default: plain HTTP.")
    Path tlsKeystore;

    @Option(
            names = "--tls-keystore-password",
            paramLabel = "PASSWORD",
            description = "Password of --tls-keystore; give it as POSESTREAM_TLS_KEYSTORE_PASSWORD or in the config "
                    + "file rather than on the command line. Never logged.")
    String tlsKeystorePassword;

    @Option(
            names = "--users-file",
            paramLabel = "FILE",
            description = "Require HTTP basic auth of one of these users: a properties file of user=password lines "
                    + "(keep it private). Clients send basic.auth.user.info / --schema-registry-user-info.")
    Path usersFile;

    // Off by default, unlike the pipeline services: the registry usually runs beside them on one machine (demo,
    // tests) and production normally uses Confluent's. --metrics-port 9400 serves /metrics and /health/*.
    @Option(
            names = "--metrics-port",
            description = "Port of /metrics, /health/live and /health/ready; 0 = any free "
                    + "port, -1 = none (default: ${DEFAULT-VALUE}).",
            defaultValue = "-1")
    int metricsPort;

    @Option(
            names = "--metrics-address",
            description = "Address of the metrics and health endpoint (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String metricsAddress;

    @Mixin
    StartupOptions startup;

    /** TLS and basic auth from the options; a bad file fails here, naming the option. */
    private RegistryAccess access() {
        try {
            char[] password = tlsKeystorePassword == null ? new char[0] : tlsKeystorePassword.toCharArray();
            Map<String, String> users = usersFile == null ? Map.of() : RegistryAccess.readUsers(usersFile);
            return new RegistryAccess(tlsKeystore, password, users);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--users-file: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> kafkaConfig = kafka.clientConfig();
        ServiceEndpoint endpoint = metricsPort < 0
                ? null
                : ServiceEndpoint.start(
                        "registry", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), metricsAddress, metricsPort);
        HealthFlag loaded = new HealthFlag("loading schemas from topic " + topic);
        if (endpoint != null) {
            endpoint.readiness("schemas loaded", loaded);
        }
        ClusterWatch watch = startup.watch("registry", "to load the schemas from " + topic, kafka, endpoint);
        EmbeddedSchemaRegistry registry;
        try {
            watch.awaitReachable();
            registry = new EmbeddedSchemaRegistry(kafkaConfig, topic, host, port, access()).start();
        } catch (Exception e) {
            watch.close();
            if (endpoint != null) {
                endpoint.close();
            }
            throw e;
        }
        loaded.up("serving " + registry.url());
        if (!registry.url().startsWith("https://") && usersFile != null && !"127.0.0.1".equals(host)) {
            LoggerFactory.getLogger(RegistryCommand.class)
                    .warn(
                            "Basic auth over plain HTTP on {}: passwords cross the network in clear; add --tls-keystore",
                            host);
        }
        System.out.println("schema.registry.url=" + registry.url());
        System.out.flush();
        Foreground.runUntilStopped(() -> {
            registry.close();
            watch.close();
            if (endpoint != null) {
                endpoint.close();
            }
        });
        return 0;
    }
}
