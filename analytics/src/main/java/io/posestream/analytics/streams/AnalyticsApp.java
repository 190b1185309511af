package io.posestream.analytics.streams;

import io.posestream.schemas.Topics;
import io.posestream.tracker.streams.StreamsStage;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The analytics as a running Kafka Streams application: creates its output topics where missing, starts the
 * topology and closes it cleanly. Instances with the same application id share the cameras.
 */
public final class AnalyticsApp extends StreamsStage {
    private final AnalyticsAppConfig config;

    public AnalyticsApp(AnalyticsAppConfig config) {
        super(
                "Analytics",
                config.getString(AnalyticsAppConfig.APPLICATION_ID),
                config.serdeConfig(),
                config.getList(AnalyticsAppConfig.BOOTSTRAP_SERVERS),
                config.streamsConfig(),
                AnalyticsTopology.build(
                        config.inputTopic(),
                        config.outputTopic(),
                        config.countsTopic(),
                        config.rules(),
                        config.serdeConfig()));
        this.config = config;
    }

    @Override
    public AnalyticsApp start() {
        super.start();
        return this;
    }

    @Override
    protected List<NewTopic> topics(short replication) {
        int partitions = config.topicPartitions();
        return List.of(
                Topics.dataTopic(config.inputTopic(), partitions, replication),
                Topics.dataTopic(config.outputTopic(), partitions, replication),
                Topics.compactedTopic(config.countsTopic(), partitions, replication),
                Topics.dataTopic(config.dlqTopic(), 1, replication));
    }

    @Override
    protected String describe() {
        return config.inputTopic() + " -> " + config.outputTopic() + " and " + config.countsTopic()
                + " (dead letters to " + config.dlqTopic() + "), "
                + config.getString(AnalyticsAppConfig.PROCESSING_GUARANTEE) + ", "
                + config.rules().ruleCount()
                + " rules for cameras " + config.rules().cameras().keySet();
    }
}
