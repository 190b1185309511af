package io.posestream.app.cluster;

import io.posestream.cli.Foreground;
import io.posestream.cli.PartitionsOption;
import io.posestream.demo.EmbeddedStack;
import io.posestream.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs an embedded single-node KRaft broker until interrupted. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker (KRaft) on 127.0.0.1 with posestream's topics, "
                + "and print its bootstrap address.")
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
        EmbeddedKafka kafka = builder.start();
        try {
            EmbeddedStack.createTopics(kafka.bootstrapServers(), partitions.partitions());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
        System.out.flush();
        Foreground.runUntilStopped(kafka);
        return 0;
    }
}
