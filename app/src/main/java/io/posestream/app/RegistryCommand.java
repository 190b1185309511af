package io.posestream.app;

import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the embedded schema registry against any Kafka cluster until interrupted. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run a schema registry speaking Confluent's REST API, stored in a compacted Kafka topic, "
                + "and print its URL.")
final class RegistryCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
            description = "Kafka cluster that stores the schemas.")
    String bootstrapServers;

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).",
            defaultValue = "8081")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--topic", description = "Topic storing the schemas (default: ${DEFAULT-VALUE}).",
            defaultValue = Topics.SCHEMAS)
    String topic;

    @Override
    public Integer call() throws Exception {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(
                Map.of("bootstrap.servers", bootstrapServers), topic, host, port).start();
        System.out.println("schema.registry.url=" + registry.url());
        System.out.flush();
        Foreground.runUntilStopped(registry);
        return 0;
    }
}
