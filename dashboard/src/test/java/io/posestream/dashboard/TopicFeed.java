package io.posestream.dashboard;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes Frame, PoseEvent and ActivityEvent records to the real topics through the registry serde, keyed by camera,
 * as ingest, the tracker and the analytics do. Test support.
 */
public final class TopicFeed implements AutoCloseable {
    private final KafkaProducer<String, Frame> frames;
    private final KafkaProducer<String, PoseEvent> events;
    private final KafkaProducer<String, ActivityEvent> activities;

    public TopicFeed(RegistryCluster cluster) {
        Map<String, Object> config = new HashMap<>(Topics.producerSizing());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        frames = new KafkaProducer<>(
                config,
                new StringSerializer(),
                AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false).serializer());
        events = new KafkaProducer<>(
                config,
                new StringSerializer(),
                AvroSerdes.specific(PoseEvent.class, cluster.serdeConfig(), false)
                        .serializer());
        activities = new KafkaProducer<>(
                config,
                new StringSerializer(),
                AvroSerdes.specific(ActivityEvent.class, cluster.serdeConfig(), false)
                        .serializer());
    }

    /** Creates the pipeline's topics and the analytics' output topics (4 partitions each) on the cluster. */
    public static void createTopics(RegistryCluster cluster) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>(Topics.pipelineTopics(4, (short) 1));
            topics.add(Topics.dataTopic(Topics.ACTIVITY_EVENTS, 4, (short) 1));
            topics.add(Topics.compactedTopic(Topics.ZONE_COUNTS, 4, (short) 1));
            Topics.ensure(admin, topics);
        }
    }

    public void send(Frame frame) {
        await(frames.send(new ProducerRecord<>(Topics.FRAMES, frame.getCameraId(), frame)));
    }

    public void send(PoseEvent event) {
        await(events.send(new ProducerRecord<>(Topics.POSE_EVENTS, event.getCameraId(), event)));
    }

    public void send(ActivityEvent activity) {
        await(activities.send(new ProducerRecord<>(Topics.ACTIVITY_EVENTS, activity.getCameraId(), activity)));
    }

    public void sendAll(List<Frame> frameList, List<PoseEvent> eventList) {
        frameList.forEach(frame -> frames.send(new ProducerRecord<>(Topics.FRAMES, frame.getCameraId(), frame)));
        eventList.forEach(event -> events.send(new ProducerRecord<>(Topics.POSE_EVENTS, event.getCameraId(), event)));
        frames.flush();
        events.flush();
    }

    private static void await(java.util.concurrent.Future<?> sent) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot produce: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        frames.close();
        events.close();
        activities.close();
    }
}
