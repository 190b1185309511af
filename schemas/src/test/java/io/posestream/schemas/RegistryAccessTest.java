package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.avro.Frame;
import io.posestream.schemas.registry.EmbeddedSchemaRegistry;
import io.posestream.schemas.registry.RegistryAccess;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.schemas.serde.AvroSerde;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry behind HTTPS (a private CA) and HTTP basic auth, with posestream's own serde as the client:
 * it works with the right user, the CA in {@code schema.registry.ssl.truststore.location}; without them the error
 * says which, and never holds the password.
 */
class RegistryAccessTest {
    private static final String PASSWORD = "s3cret-registry-password";

    @TempDir
    static Path temp;

    private static RegistryCluster cluster;
    private static EmbeddedSchemaRegistry secured;
    private static TestTls tls;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RegistryCluster();
        tls = TestTls.create(temp);
        Path users = Files.writeString(temp.resolve("users.properties"), "ingest=" + PASSWORD + "\nviewer=other\n");
        secured = cluster.startRegistry(
                0, new RegistryAccess(tls.serverKeystore(), tls.password(), RegistryAccess.readUsers(users)));
    }

    @AfterAll
    static void stop() {
        if (secured != null) {
            secured.close();
        }
        cluster.close();
    }

    private static Map<String, Object> serdeConfig(String userInfo, Path truststore) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, secured.url());
        if (userInfo != null) {
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        if (truststore != null) {
            config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, truststore.toString());
        }
        return config;
    }

    @Test
    void theSerdeRoundTripsOverHttpsWithBasicAuth() {
        assertThat(secured.url()).startsWith("https://127.0.0.1:");
        AvroSerde<Frame> serde =
                AvroSerdes.specific(Frame.class, serdeConfig("ingest:" + PASSWORD, tls.caPem()), false);
        Frame frame = SampleRecords.frame(1, 100);
        byte[] bytes = serde.serializer().serialize("secured-frames", frame);
        // A second client with a cold cache fetches the schema by id from the secured registry.
        AvroSerde<Frame> reader =
                AvroSerdes.specific(Frame.class, serdeConfig("ingest:" + PASSWORD, tls.caPem()), false);
        assertThat(reader.deserializer().deserialize("secured-frames", bytes)).isEqualTo(frame);
    }

    @Test
    void aWrongPasswordOrNoCredentialsIsRefusedWithoutEchoingThePassword() {
        String wrong = "not-" + PASSWORD;
        for (String userInfo : new String[] {"ingest:" + wrong, "nobody:" + PASSWORD, null}) {
            AvroSerde<Frame> serde = AvroSerdes.specific(Frame.class, serdeConfig(userInfo, tls.caPem()), false);
            assertThat(registryError(() -> serde.serializer().serialize("refused-frames", SampleRecords.frame(2, 10))))
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("basic.auth.user.info")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void aClientWithoutThePrivateCaSaysTheCertificateIsNotTrusted() throws Exception {
        AvroSerde<Frame> serde = AvroSerdes.specific(Frame.class, serdeConfig("ingest:" + PASSWORD, null), false);
        assertThat(registryError(() -> serde.serializer().serialize("untrusted-frames", SampleRecords.frame(3, 10))))
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining("unable to find valid certification path")
                .hasMessageContaining(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION)
                .hasMessageNotContaining(PASSWORD);

        Path missing = temp.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> AvroSerdes.specific(Frame.class, serdeConfig("ingest:" + PASSWORD, missing), false)
                        .serializer()
                        .serialize("untrusted-frames", SampleRecords.frame(3, 10)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION)
                .hasMessageContaining("does not exist");
    }

    @Test
    void theRegistryDoesNotAnswerPlainHttpOnItsTlsPort() {
        String plain = secured.url().replace("https://", "http://");
        Map<String, Object> config = serdeConfig("ingest:" + PASSWORD, null);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, plain);
        AvroSerde<Frame> serde = AvroSerdes.specific(Frame.class, config, false);
        assertThat(registryError(() -> serde.serializer().serialize("plain-frames", SampleRecords.frame(4, 10))))
                .hasMessageContaining(plain);
    }

    /** The registry client's error behind the serde's, failing the test when there is none. */
    private static SchemaRegistryException registryError(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SchemaRegistryException registry) {
                    return registry;
                }
            }
            throw new AssertionError("no SchemaRegistryException behind " + e, e);
        }
        throw new AssertionError("the call succeeded");
    }
}
