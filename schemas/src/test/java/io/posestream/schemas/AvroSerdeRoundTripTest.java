package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.Frame;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.schemas.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round trips through the real broker and the embedded registry, and schema evolution both ways. */
class AvroSerdeRoundTripTest {
    private static RegistryCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void specificRecordsRoundTripThroughTheBroker() {
        roundTrip(Frame.class, List.of(SampleRecords.frame(1, 100_000), SampleRecords.frame(2, 10)));
        roundTrip(PoseFrame.class, List.of(SampleRecords.poseFrame(3, 10), SampleRecords.poseFrame(4, 0)));
        roundTrip(PoseEvent.class, List.of(SampleRecords.poseEvent(5, 4)));
    }

    private <T extends SpecificRecordBase> void roundTrip(Class<T> type, List<T> records) {
        String topic = RegistryCluster.freshTopic(type.getSimpleName());
        cluster.createTopic(topic);
        AvroSerde<T> serde = AvroSerdes.specific(type, cluster.serdeConfig(), false);
        List<byte[]> encoded = new ArrayList<>();
        records.forEach(r -> encoded.add(serde.serializer().serialize(topic, r)));
        cluster.produceRaw(topic, encoded);

        List<T> decoded = cluster.consumeRaw(topic, records.size()).stream()
                .map(bytes -> serde.deserializer().deserialize(topic, bytes))
                .toList();

        assertThat(decoded).containsExactlyElementsOf(records);
        assertThat(decoded.get(0)).isInstanceOf(type);
    }

    @Test
    void genericRecordsRoundTripAndMatchTheSpecificOnes() {
        String topic = RegistryCluster.freshTopic("generic");
        cluster.createTopic(topic);
        Frame frame = SampleRecords.frame(9, 1000);
        AvroSerde<GenericRecord> generic = AvroSerdes.generic(cluster.serdeConfig(), false);
        AvroSerde<Frame> specific = AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false);

        // Written as specific, read as generic: the generic reader gets the registered (writer) schema.
        cluster.produceRaw(topic, List.of(specific.serializer().serialize(topic, frame)));
        GenericRecord read = generic.deserializer()
                .deserialize(topic, cluster.consumeRaw(topic, 1).get(0));
        assertThat(read.get("cameraId").toString()).isEqualTo(frame.getCameraId());
        assertThat(read.get("seq")).isEqualTo(9L);
        assertThat(read.get("captureTime")).isEqualTo(frame.getCaptureTime().toEpochMilli());
        assertThat(read.get("encoding").toString()).isEqualTo("JPEG");
        assertThat(((ByteBuffer) read.get("image"))).isEqualTo(frame.getImage());

        // Written back as generic, read as specific: same record.
        byte[] again = generic.serializer().serialize(topic, read);
        assertThat(specific.deserializer().deserialize(topic, again)).isEqualTo(frame);
    }

    @Test
    void keysAndValuesUseTopicNameStrategySubjects() {
        String topic = RegistryCluster.freshTopic("subjects");
        AvroSerializer<Frame> keySerializer = new AvroSerializer<>();
        keySerializer.configure(cluster.serdeConfig(), true);
        AvroSerializer<PoseFrame> valueSerializer = new AvroSerializer<>();
        valueSerializer.configure(cluster.serdeConfig(), false);

        keySerializer.serialize(topic, SampleRecords.frame(1, 1));
        valueSerializer.serialize(topic, SampleRecords.poseFrame(1, 1));

        SchemaRegistryClient client = SchemaRegistryClient.forUrl(cluster.registryUrl());
        assertThat(client.subjects()).contains(topic + "-key", topic + "-value");
        assertThat(client.latest(topic + "-key").schema().getFullName()).isEqualTo("io.posestream.avro.Frame");
        assertThat(client.latest(topic + "-value").schema().getFullName()).isEqualTo("io.posestream.avro.PoseFrame");
    }

    @Test
    void theRegisteredSchemaIsThePlainAvscNotTheJavaFlavouredOne() {
        String topic = RegistryCluster.freshTopic("plain");
        AvroSerde<Frame> serde = AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false);
        serde.serializer().serialize(topic, SampleRecords.frame(1, 1));

        Schema fromAvsc = AvscFiles.load("Frame");
        Schema registered = SchemaRegistryClient.forUrl(cluster.registryUrl())
                .latest(topic + "-value")
                .schema();

        assertThat(Frame.getClassSchema().toString()).contains("avro.java.string");
        assertThat(registered.toString()).doesNotContain("avro.java.string").isEqualTo(fromAvsc.toString());
    }

    @Test
    void newReaderReadsRecordsOfAnOlderWriter() {
        String topic = RegistryCluster.freshTopic("evolve-backward");
        // The PoseFrame of an older release, before statusDetail (which has a default) was added.
        Schema old = SchemaEvolution.without(PoseFrame.getClassSchema(), "PoseFrame", "statusDetail");
        PoseFrame current = SampleRecords.poseFrame(3, 2);

        byte[] bytes = SchemaEvolution.writtenBefore(cluster.serdeConfig(), topic, current, old);
        PoseFrame read = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .deserializer()
                .deserialize(topic, bytes);

        assertThat(read.getStatusDetail()).isNull();
        assertThat(read.getPersons()).isEqualTo(current.getPersons());
        assertThat(read.getCaptureTime()).isEqualTo(current.getCaptureTime());
        // The new schema registers as version 2 of the same subject under the default BACKWARD level.
        AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .serializer()
                .serialize(topic, current);
        assertThat(SchemaRegistryClient.forUrl(cluster.registryUrl()).versions(topic + "-value"))
                .containsExactly(1, 2);
    }

    @Test
    void olderReaderReadsRecordsOfANewerWriter() {
        String topic = RegistryCluster.freshTopic("evolve-forward");
        Schema old = SchemaEvolution.without(PoseFrame.getClassSchema(), "PoseFrame", "statusDetail");
        PoseFrame current = SampleRecords.poseFrame(4, 1);
        byte[] bytes = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .serializer()
                .serialize(topic, current);

        GenericRecord read = SchemaEvolution.readBefore(cluster.serdeConfig(), topic, bytes, old);

        assertThat(read.getSchema().getField("statusDetail")).isNull();
        assertThat(read.get("status").toString()).isEqualTo(current.getStatus().name());
        assertThat(read.get("seq")).isEqualTo(current.getSeq());
        assertThat(((List<?>) read.get("persons"))).hasSize(1);
    }

    @Test
    void useLatestVersionProjectsRecordsOntoTheLatestSchema() {
        String topic = RegistryCluster.freshTopic("latest");
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(cluster.registryUrl());
        // Latest registered schema is a newer Frame with one more (defaulted) field.
        Schema newer = SchemaBuilder.record("Frame")
                .namespace("io.posestream.avro")
                .fields()
                .name("cameraId")
                .type()
                .stringType()
                .noDefault()
                .name("seq")
                .type()
                .longType()
                .noDefault()
                .name("note")
                .type()
                .stringType()
                .stringDefault("none")
                .endRecord();
        Schema older = SchemaBuilder.record("Frame")
                .namespace("io.posestream.avro")
                .fields()
                .name("cameraId")
                .type()
                .stringType()
                .noDefault()
                .name("seq")
                .type()
                .longType()
                .noDefault()
                .endRecord();
        int latestId = client.register(topic + "-value", newer);

        Map<String, Object> config = cluster.serdeConfig();
        config.put(AvroSerdeConfig.USE_LATEST_VERSION, true);
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        byte[] bytes = serializer.serialize(
                topic,
                new GenericRecordBuilder(older)
                        .set("cameraId", "c")
                        .set("seq", 5L)
                        .build());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        GenericRecord read =
                AvroSerdes.generic(cluster.serdeConfig(), false).deserializer().deserialize(topic, bytes);
        assertThat(read.get("note").toString()).isEqualTo("none");
        assertThat(read.get("seq")).isEqualTo(5L);
    }
}
