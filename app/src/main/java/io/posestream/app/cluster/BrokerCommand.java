package io.posestream.app.cluster;

import io.posestream.cli.Foreground;
import io.posestream.cli.PartitionsOption;
import io.posestream.demo.EmbeddedStack;
import io.posestream.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Mixin
    PartitionsOption partitions;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder().brokerPort(port).controllerPort(controllerPort);
        if (dataDir != null) {
            builder.logDir(dataDir);
        }
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
