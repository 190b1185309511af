package io.posestream.app.cluster;

import io.posestream.app.security.ClientSettingsFiles;
import io.posestream.app.security.ServiceAccount;
import io.posestream.cli.Foreground;
import io.posestream.cli.PartitionsOption;
import io.posestream.demo.EmbeddedStack;
import io.posestream.kafka.EmbeddedKafka;
import io.posestream.kafka.security.BrokerSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs an embedded single-node KRaft broker until interrupted, optionally secured (SASL_SSL and ACLs). */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker (KRaft) on 127.0.0.1 with posestream's topics, "
                + "and print its bootstrap address. With --secure: SASL_SSL (SCRAM-SHA-512 over TLS) with a "
                + "generated CA, and ACLs giving each service only what it needs; prints where each service's "
                + "client settings are. See docs/operations.md (Security).")
public final class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            description = "Broker port (default: ${DEFAULT-VALUE}; 0 = any free port).",
            defaultValue = "9092")
    int port;

    @Option(
            names = "--controller-port",
            description = "KRaft controller port (default: any free port).",
            defaultValue = "0")
    int controllerPort;

    @Option(
            names = "--data-dir",
            description = "Log directory; kept across runs. Default: a temporary directory " + "deleted on exit.")
    Path dataDir;

    @Option(
            names = "--listener",
            paramLabel = "NAME=PORT:ADVERTISED_PORT",
            description = "An extra PLAINTEXT listener on 127.0.0.1:PORT whose clients are told to connect to "
                    + "127.0.0.1:ADVERTISED_PORT, e.g. a proxy in front of it; repeatable. Clients follow the "
                    + "address of the listener they came in on, so each proxied client needs its own listener.")
    Map<String, String> listeners = new LinkedHashMap<>();

    @Mixin
    PartitionsOption partitions;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--secure",
            description = "SASL_SSL (SCRAM-SHA-512 over TLS) instead of PLAINTEXT, Kafka's StandardAuthorizer, a "
                    + "SCRAM user and ACLs per service, and a client settings file per service.")
    boolean secure;

    @Option(
            names = "--security-dir",
            paramLabel = "DIR",
            description = "--secure: where the CA, the broker's key store, the passwords and the client settings "
                    + "files go; reused when it holds them. Default: DATA_DIR-security beside the data directory, "
                    + "or a temporary directory "
                    + "deleted on exit.")
    Path securityDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder().brokerPort(port).controllerPort(controllerPort);
        if (dataDir != null) {
            builder.logDir(dataDir);
        }
        listeners.forEach((name, ports) -> {
            String[] parts = ports.split(":");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("expected PORT:ADVERTISED_PORT");
                }
                builder.listener(name, Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--listener': " + name + "=" + ports + " (" + e.getMessage() + ")");
            }
        });
        Path security = null;
        boolean temporarySecurity = false;
        if (secure) {
            security = securityDir != null
                    ? securityDir
                    : dataDir != null ? dataDir.resolveSibling(dataDir.getFileName() + "-security") : null;
            if (security == null) {
                security = Files.createTempDirectory("posestream-broker-security-");
                temporarySecurity = true;
            }
            builder.security(BrokerSecurity.inDirectory(security, ServiceAccount.users()));
        }
        EmbeddedKafka kafka = builder.start();
        Map<ServiceAccount, Path> clientFiles;
        try {
            EmbeddedStack.createTopics(kafka.adminConfig(), partitions.partitions());
            clientFiles = kafka.security().isEmpty() ? Map.of() : secure(kafka);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
        if (!clientFiles.isEmpty()) {
            BrokerSecurity s = kafka.security().orElseThrow();
            System.out.println("security.protocol=SASL_SSL (" + BrokerSecurity.MECHANISM + "), CA certificate "
                    + s.caCertificate());
            System.out.println("Start each service with its settings file (its Kafka password, the registry's CA "
                    + "and its registry password; readable by you only):");
            clientFiles.forEach((account, file) -> System.out.println("  posestream " + account.command()
                    + " --config " + file
                    + (account == ServiceAccount.REGISTRY
                            ? "   (serves HTTPS with basic auth; prints its URL)"
                            : " --schema-registry-url https://127.0.0.1:8081"
                                    + (account == ServiceAccount.ANALYZE ? " --rules RULES_FILE" : ""))));
            System.out.println("  super user " + BrokerSecurity.SUPER_USER + " (Kafka tools' --command-config): "
                    + file(clientFiles).resolveSibling(ClientSettingsFiles.ADMIN_FILE));
        }
        System.out.flush();
        Path deleteOnExit = temporarySecurity ? security : null;
        Foreground.runUntilStopped(() -> {
            kafka.close();
            if (deleteOnExit != null) {
                PathUtils.deleteDirectory(deleteOnExit);
            }
        });
        return 0;
    }

    /** The services' ACLs, and their client settings files next to the broker's security files. */
    private static Map<ServiceAccount, Path> secure(EmbeddedKafka kafka) {
        BrokerSecurity security = kafka.security().orElseThrow();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            ServiceAccount.grantAll(admin);
        }
        return ClientSettingsFiles.write(security.directory().resolve("clients"), security, kafka.bootstrapServers());
    }

    private static Path file(Map<ServiceAccount, Path> files) {
        return files.values().iterator().next();
    }
}
