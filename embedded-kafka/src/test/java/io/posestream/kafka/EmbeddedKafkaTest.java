package io.posestream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests against a real in-process KRaft broker; no mocks. */
class EmbeddedKafkaTest {

    private static final Duration POLL_DEADLINE = Duration.ofSeconds(30);

    /** Shared broker on a temporary dir for the tests that need no restart. */
    private static EmbeddedKafka shared;

    @BeforeAll
    static void startShared() {
        shared = EmbeddedKafka.startNew();
    }

    @AfterAll
    static void closeShared() {
        Path dir = shared.logDir();
        shared.close();
        assertThat(shared.ownsLogDir()).isTrue();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aClientOfAnExtraListenerIsSentToItsAdvertisedPort() throws Exception {
        int listenerPort = freeLocalPort();
        int advertisedPort = freeLocalPort();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder()
                .listener("PROXIED", listenerPort, advertisedPort)
                .start()) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("proxied", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            // The first metadata answer comes over the bootstrap connection: it names the broker at the port the
            // listener advertises, so a proxy there is never bypassed. The plain listener names its own port.
            assertThat(leaderPort("127.0.0.1:" + listenerPort)).isEqualTo(advertisedPort);
            assertThat(leaderPort(kafka.bootstrapServers())).isEqualTo(kafka.brokerPort());
        }
        assertThatThrownBy(() -> EmbeddedKafka.builder().listener("CONTROLLER", 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid listener name");
    }

    private static int leaderPort(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            return consumer.partitionsFor("proxied", Duration.ofSeconds(30))
                    .get(0)
                    .leader()
                    .port();
        }
    }

    private static int freeLocalPort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void producesAndConsumesHundredRecords() throws Exception {
        assertThat(shared.isRunning()).isTrue();
        assertThat(shared.bootstrapServers()).isEqualTo("127.0.0.1:" + shared.brokerPort());
        assertThat(shared.clusterId()).isPresent();

        String topic = "hundred";
        createTopic(shared, new NewTopic(topic, 3, (short) 1));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(shared))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        // subscribe with a group: exercises the group coordinator and __consumer_offsets on one node
        Properties cp = consumerProps(shared);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "hundred-group");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
            while (records.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.commitSync();
        }
        assertThat(records).hasSize(100);
        assertThat(records)
                .allSatisfy(r -> assertThat(r.value()).isEqualTo(r.key().replace("key-", "value-")));
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> "key-" + i).toList());
    }

    /** A topic's own record limit is what counts; the broker sets none of its own. */
    private static final int LARGE_TOPIC_MAX_BYTES = 8 * 1024 * 1024;

    private static final int LARGE_CLIENT_MAX_BYTES = LARGE_TOPIC_MAX_BYTES + 64 * 1024;

    @Test
    void fiveMebibyteRecordRoundTrips() throws Exception {
        String topic = "large";
        createTopic(
                shared,
                new NewTopic(topic, 1, (short) 1)
                        .configs(
                                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LARGE_TOPIC_MAX_BYTES))));

        byte[] value = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(value);

        Properties pp = producerProps(shared);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGE_CLIENT_MAX_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            producer.send(new ProducerRecord<>(topic, "big".getBytes(), value)).get(30, TimeUnit.SECONDS);
        }

        Properties cp = consumerProps(shared);
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, LARGE_CLIENT_MAX_BYTES);
        cp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LARGE_CLIENT_MAX_BYTES);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(cp, new TopicPartition(topic, 0), 1);
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).key())).isEqualTo("big");
        assertThat(records.get(0).value()).hasSize(value.length);
        assertThat(Arrays.equals(records.get(0).value(), value)).isTrue();
    }

    @Test
    void transactionalCommitIsVisibleToReadCommittedConsumer() throws Exception {
        String topic = "tx";
        createTopic(shared, new NewTopic(topic, 1, (short) 1));

        Properties pp = producerProps(shared);
        pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted", "aborted"));
            producer.abortTransaction();
        }

        Properties cp = consumerProps(shared);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = readAll(cp, new TopicPartition(topic, 0), 10);
        assertThat(records)
                .extracting(ConsumerRecord::value)
                .containsExactly(
                        IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toArray(String[]::new));
    }

    @Test
    void restartOnSameDirAndPortsKeepsTopicsAndData(@TempDir Path dir) throws Exception {
        String topic = "durable";
        int brokerPort;
        int controllerPort;
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir).build()) {
            assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
            kafka.start();
            String bootstrap = kafka.bootstrapServers();
            brokerPort = kafka.brokerPort();
            controllerPort = kafka.controllerPort();
            clusterId = kafka.clusterId().orElseThrow();
            assertThat(dir.resolve("meta.properties")).exists();

            createTopic(kafka, new NewTopic(topic, 1, (short) 1));
            produce(kafka, topic, "before-stop", 5);

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();

            kafka.start();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(kafka.clusterId()).contains(clusterId);
            assertThat(readValues(kafka, topic, 5))
                    .containsExactly(
                            "before-stop-0", "before-stop-1", "before-stop-2", "before-stop-3", "before-stop-4");
            produce(kafka, topic, "after-restart", 1);
        }
        // a caller-supplied dir survives close()
        assertThat(dir.resolve("meta.properties")).exists();

        // a new instance on the same dir and ports: no reformat, same cluster id, same data
        try (EmbeddedKafka again = EmbeddedKafka.builder()
                .logDir(dir)
                .brokerPort(brokerPort)
                .controllerPort(controllerPort)
                .build()) {
            again.start();
            assertThat(again.bootstrapServers()).isEqualTo("127.0.0.1:" + brokerPort);
            assertThat(again.clusterId()).contains(clusterId);
            assertThat(readValues(again, topic, 6)).endsWith("after-restart-0").hasSize(6);
        }
        assertThat(Files.isDirectory(dir)).isTrue();
    }

    // ---------------------------------------------------------------------------------------------

    private static void createTopic(EmbeddedKafka kafka, NewTopic topic) throws Exception {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, String prefix, int n) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, prefix, prefix + "-" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> readValues(EmbeddedKafka kafka, String topic, int n) {
        List<ConsumerRecord<String, String>> records = readAll(consumerProps(kafka), new TopicPartition(topic, 0), n);
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** Reads partition {@code tp} from the beginning (no group) until {@code n} records or the deadline. */
    private static <K, V> List<ConsumerRecord<K, V>> readAll(Properties cp, TopicPartition tp, int n) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(cp)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + POLL_DEADLINE.toNanos();
            while (records.size() < n && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Properties producerProps(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private static Properties consumerProps(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
