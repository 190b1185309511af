package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.avro.Frame;
import io.posestream.avro.PoseFrame;
import io.posestream.schemas.serde.AvroDeserializer;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.schemas.serde.AvroSerializer;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every bad input gets an error that names what was wrong. */
class SerdeBadInputTest {
    private static RegistryCluster cluster;
    private static AvroSerde<Frame> frames;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
        frames = AvroSerdes.specific(Frame.class, cluster.serdeConfig(), false);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void unknownMagicByteNamesTheTopicAndTheByte() {
        byte[] bytes = frames.serializer().serialize("cams", SampleRecords.frame(1, 10));
        bytes[0] = 0x7;
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 0x07")
                .hasMessageContaining("topic cams");
    }

    @Test
    void recordShorterThanTheHeaderIsTruncated() {
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Truncated record on topic cams")
                .hasMessageContaining("3 bytes");
    }

    @Test
    void truncatedBodyNamesTopicAndSchemaId() {
        byte[] bytes = frames.serializer().serialize("cams", SampleRecords.frame(2, 1000));
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic cams")
                .hasMessageContaining("schema id " + id);
    }

    @Test
    void aRecordClaimingAHugeStringIsRefusedBeforeAnythingIsAllocated() {
        byte[] valid = frames.serializer().serialize("cams", SampleRecords.frame(3, 10));
        // The frame's first field, cameraId, claims 2 billion bytes in an 8-byte body: Avro alone would try to
        // allocate them (and the JVM die of OutOfMemoryError).
        byte[] lying = withBody(valid, zigzag(2_000_000_000L), new byte[] {'c', 'a', 'm'});
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", lying))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a string of 2000000000 bytes in a record of 8 bytes");
        // So does the image (bytes) after a proper camera id, seq, times, size and encoding.
        byte[] lyingImage = withBody(
                valid,
                zigzag(3),
                new byte[] {'c', 'a', 'm'},
                zigzag(1),
                zigzag(1),
                zigzag(-1),
                zigzag(640),
                zigzag(480),
                zigzag(0),
                zigzag(2_000_000_000L));
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", lyingImage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a bytes value of 2000000000 bytes in a record of");
    }

    @Test
    void anArrayClaimingMoreItemsThanTheRecordHasBytesIsRefused() {
        org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("Counts")
                .namespace("test")
                .fields()
                .name("values")
                .type()
                .array()
                .items()
                .longType()
                .noDefault()
                .endRecord();
        AvroSerde<GenericRecord> generic = AvroSerdes.generic(cluster.serdeConfig(), false);
        GenericRecord record = new org.apache.avro.generic.GenericData.Record(schema);
        record.put("values", java.util.List.of(1L, 2L));
        byte[] valid = generic.serializer().serialize("counts", record);
        assertThat(generic.deserializer().deserialize("counts", valid).get("values"))
                .isEqualTo(java.util.List.of(1L, 2L));
        byte[] lying = withBody(valid, zigzag(1_000_000_000L), zigzag(1));
        assertThatThrownBy(() -> generic.deserializer().deserialize("counts", lying))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("an array block of 1000000000 items in a record of 6 bytes");
    }

    @Test
    void aStringLongerThanTheLimitIsRefusedNamingTheSetting() {
        Map<String, Object> config = new HashMap<>(cluster.serdeConfig());
        config.put(AvroSerdeConfig.MAX_STRING_BYTES, 8);
        AvroSerde<Frame> strict = AvroSerdes.specific(Frame.class, config, false);
        Frame frame = Frame.newBuilder(SampleRecords.frame(4, 10))
                .setCameraId("a-camera-id-longer-than-eight-bytes")
                .build();
        byte[] bytes = strict.serializer().serialize("cams", frame);
        assertThatThrownBy(() -> strict.deserializer().deserialize("cams", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a string of 35 bytes")
                .hasMessageContaining("limit 8, " + AvroSerdeConfig.MAX_STRING_BYTES);
        // The default limit (64 KiB) lets it through.
        assertThat(frames.deserializer().deserialize("cams", bytes).getCameraId())
                .isEqualTo(frame.getCameraId());
    }

    /** The record's header (magic byte and schema id) with another body. */
    private static byte[] withBody(byte[] record, byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(record, 0, 5);
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    /** Avro's long encoding: zig-zag, then base-128 varint. */
    private static byte[] zigzag(long value) {
        long n = (value << 1) ^ (value >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((n & ~0x7fL) != 0) {
            out.write((int) ((n & 0x7f) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    @Test
    void unknownSchemaIdNamesTheIdAndTheRegistry() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'a'};
        assertThatThrownBy(() -> frames.deserializer().deserialize("cams", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 12345")
                .hasMessageContaining(cluster.registryUrl());
    }

    @Test
    void recordsOfAnotherTypeAreRefusedWithBothNames() {
        byte[] poseBytes = AvroSerdes.specific(PoseFrame.class, cluster.serdeConfig(), false)
                .serializer()
                .serialize("mixed", SampleRecords.poseFrame(1, 1));
        assertThatThrownBy(() -> frames.deserializer().deserialize("mixed", poseBytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.posestream.avro.PoseFrame")
                .hasMessageContaining("io.posestream.avro.Frame");
    }

    @Test
    void unreachableRegistryNamesTheUrlWithCredentialsMasked() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://alice:s3cret@127.0.0.1:" + closedPort);
        AvroSerializer<Frame> serializer = new AvroSerializer<>();
        serializer.configure(config, false);

        assertThatThrownBy(() -> serializer.serialize("cams", SampleRecords.frame(1, 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("alice");

        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
        config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, "bob:hunter2");
        deserializer.configure(config, false);
        assertThatThrownBy(() -> deserializer.deserialize("cams", new byte[] {0, 0, 0, 0, 1, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("unreachable")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void missingOrBadSettingsFailAtConfigureNamingTheKey() {
        assertThatThrownBy(() -> new AvroSerializer<Frame>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroSerializer<Frame>()
                        .configure(
                                Map.of(
                                        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                                        cluster.registryUrl(),
                                        AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                                        "USER_INFO"),
                                false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> new AvroSerializer<Frame>()
                        .configure(
                                Map.of(
                                        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                                        cluster.registryUrl(),
                                        AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                                        "KERBEROS"),
                                false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsAnError() {
        Map<String, Object> config = cluster.serdeConfig();
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        AvroSerializer<Frame> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        String topic = RegistryCluster.freshTopic("unregistered");

        assertThatThrownBy(() -> serializer.serialize(topic, SampleRecords.frame(1, 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic + "-value")
                .hasMessageContaining("auto.register.schemas=false")
                .hasMessageContaining("40401");
        // Once registered (here by the default serializer), the lookup finds it.
        frames.serializer().serialize(topic, SampleRecords.frame(1, 1));
        assertThat(serializer.serialize(topic, SampleRecords.frame(1, 1))).isNotEmpty();
    }
}
