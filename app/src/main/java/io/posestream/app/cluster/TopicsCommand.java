package io.posestream.app.cluster;

import io.posestream.cli.PartitionsOption;
import io.posestream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates posestream's topics on a real cluster (the embedded default creates them itself). */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create posestream's topics (frames, poses, pose-events and their .dlq topics; the analytics' "
                + "activity-events and compacted zone-counts) where missing.")
public final class TopicsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka cluster.")
    String bootstrapServers;

    @Mixin
    PartitionsOption partitions;

    @Override
    public Integer call() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
            short replication = Topics.replicationFor(admin);
            List<NewTopic> topics = new ArrayList<>(Topics.pipelineTopics(partitions.partitions(), replication));
            topics.addAll(Topics.analyticsTopics(partitions.partitions(), replication));
            Topics.ensure(admin, topics);
            topics.stream().map(NewTopic::name).forEach(System.out::println);
        }
        return 0;
    }
}
