package io.posestream.tracker.streams;

import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The tracker as a running Kafka Streams application: creates its topics where missing, starts the topology and
 * closes it cleanly ({@link StreamsStage}). Instances with the same application id share the input partitions (and
 * so the cameras).
 */
public final class TrackerApp extends StreamsStage {
    private final TrackerAppConfig config;

    public TrackerApp(TrackerAppConfig config) {
        super(
                "Tracker",
                config.getString(TrackerAppConfig.APPLICATION_ID),
                config.serdeConfig(),
                config.getList(TrackerAppConfig.BOOTSTRAP_SERVERS),
                config.streamsConfig(),
                TrackerTopology.build(
                        config.inputTopic(),
                        config.outputTopic(),
                        config.trackerConfig(),
                        config.maxPersons(),
                        AvroSerdes.specific(PoseFrame.class, config.serdeConfig(), false),
                        AvroSerdes.specific(PoseEvent.class, config.serdeConfig(), false)));
        this.config = config;
    }

    @Override
    public TrackerApp start() {
        super.start();
        return this;
    }

    @Override
    protected List<NewTopic> topics(short replication) {
        return List.of(
                Topics.dataTopic(config.inputTopic(), config.topicPartitions(), replication),
                Topics.dataTopic(config.outputTopic(), config.topicPartitions(), replication),
                Topics.dataTopic(config.dlqTopic(), 1, replication));
    }

    @Override
    protected String describe() {
        return config.inputTopic() + " -> " + config.outputTopic() + " (dead letters to " + config.dlqTopic() + "), "
                + config.getString(TrackerAppConfig.PROCESSING_GUARANTEE) + " with " + config.trackerConfig();
    }
}
