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
