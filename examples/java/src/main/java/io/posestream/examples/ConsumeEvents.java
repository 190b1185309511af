package io.posestream.examples;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackedPerson;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A minimal subscriber: reads {@code posestream.pose-events} and {@code posestream.activity-events} from the start
 * and prints one line per record. The serde fetches each writer schema from the registry by the id in the record
 * (Confluent's wire format) and decodes into the generated classes.
 *
 * <pre>java io.posestream.examples.ConsumeEvents --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081</pre>
 */
public final class ConsumeEvents {
    private ConsumeEvents() {}

    public static void main(String[] args) {
        String bootstrap = option(args, "--bootstrap", "127.0.0.1:9092");
        String registry = option(args, "--registry", "http://127.0.0.1:8081");
        long max = Long.parseLong(option(args, "--max", "0")); // 0: until stopped
        long timeoutSeconds = Long.parseLong(option(args, "--timeout", "0")); // idle seconds; 0: never

        Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        Deserializer<PoseEvent> poses =
                AvroSerdes.specific(PoseEvent.class, serdeConfig, false).deserializer();
        Deserializer<ActivityEvent> activities =
                AvroSerdes.specific(ActivityEvent.class, serdeConfig, false).deserializer();
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                // A fresh group: read from the start, commit nothing.
                ConsumerConfig.GROUP_ID_CONFIG,
                "posestream-example-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);

        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.POSE_EVENTS, Topics.ACTIVITY_EVENTS));
            long seen = 0;
            long idleSince = System.nanoTime();
            while (max == 0 || seen < max) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty()) {
                    if (timeoutSeconds > 0 && System.nanoTime() - idleSince > timeoutSeconds * 1_000_000_000L) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    String line = record.topic().equals(Topics.POSE_EVENTS)
                            ? describe(poses.deserialize(record.topic(), record.value()))
                            : describe(activities.deserialize(record.topic(), record.value()));
                    System.out.println(line);
                    if (++seen == max) {
                        break;
                    }
                }
            }
        }
    }

    static String describe(PoseEvent event) {
        return "pose " + event.getCameraId() + " seq " + event.getSeq() + " at " + event.getCaptureTime() + ": "
                + event.getPersons().size() + " persons: "
                + event.getPersons().stream()
                        .map((TrackedPerson p) -> "track " + p.getTrackId() + " " + p.getState())
                        .collect(Collectors.joining(" "));
    }

    static String describe(ActivityEvent event) {
        return "activity " + event.getCameraId() + " seq " + event.getSeq() + " at " + event.getTime() + ": "
                + event.getKind() + " rule " + event.getRule()
                + (event.getTrackId() == null ? "" : " track " + event.getTrackId());
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
