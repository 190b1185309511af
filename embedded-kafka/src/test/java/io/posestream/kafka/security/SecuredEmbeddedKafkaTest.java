package io.posestream.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured embedded broker, for real: SCRAM-SHA-512 over TLS with generated certificates, the StandardAuthorizer
 * enforcing ACLs, and the same users and certificates after a restart on the same data.
 */
class SecuredEmbeddedKafkaTest {
    @TempDir
    Path temp;

    @Test
    void onlyTheRightPasswordTheRightCaAndAnAclLetAClientWrite() throws Exception {
        Path logDir = temp.resolve("data");
        BrokerSecurity security = BrokerSecurity.inDirectory(temp.resolve("security"), List.of("writer"));
        assertThat(Files.getPosixFilePermissions(security.directory().resolve(BrokerSecurity.SECRETS_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(security.toString()).doesNotContain(security.password("writer"));

        try (EmbeddedKafka kafka =
                EmbeddedKafka.builder().logDir(logDir).security(security).start()) {
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                admin.createTopics(List.of(new NewTopic("guarded", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> writer = client(kafka, security.clientConfig("writer"));

            // Authenticated, but no ACL yet.
            assertThat(sendFailure(writer)).isInstanceOf(TopicAuthorizationException.class);

            grantWrite(kafka, "writer", "guarded");
            assertThat(sendFailure(writer)).isNull();

            Map<String, Object> wrongPassword =
                    client(kafka, BrokerSecurity.clientConfig("writer", "not-the-password", security.caCertificate()));
            assertThat(sendFailure(wrongPassword))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid credentials")
                    .hasMessageNotContaining("not-the-password");

            Path otherCa = temp.resolve("other-ca.pem");
            CertificateAuthority.create("some other CA").writeCertificatePem(otherCa);
            Map<String, Object> untrusted =
                    client(kafka, BrokerSecurity.clientConfig("writer", security.password("writer"), otherCa));
            assertThat(sendFailure(untrusted)).isInstanceOf(SslAuthenticationException.class);

            Map<String, Object> plaintext = new HashMap<>();
            plaintext.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            plaintext.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
            assertThat(sendFailure(plaintext)).isNotNull();
        }

        // Same data, same security directory: the users, their passwords and the ACLs are still there.
        BrokerSecurity again = BrokerSecurity.inDirectory(temp.resolve("security"), List.of("writer"));
        assertThat(again.password("writer")).isEqualTo(security.password("writer"));
        try (EmbeddedKafka kafka =
                EmbeddedKafka.builder().logDir(logDir).security(again).start()) {
            assertThat(sendFailure(client(kafka, again.clientConfig("writer")))).isNull();
        }
    }

    private static Map<String, Object> client(EmbeddedKafka kafka, Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    /** Why one record could not be written to "guarded", or null when it was. */
    private static Throwable sendFailure(Map<String, Object> config) {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("guarded", "k", "v")).get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static void grantWrite(EmbeddedKafka kafka, String user, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            new AccessControlEntry("User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void issuedCertificatesChainToTheirCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("chain test CA");
        IssuedCertificate server = ca.issue("server", List.of("127.0.0.1", "localhost"));
        server.certificate().verify(ca.certificate().getPublicKey());
        assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=server");
        assertThat(server.certificate().getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.certificate().getBasicConstraints()).isEqualTo(-1);
        Path pem = temp.resolve("server.pem");
        server.writePem(pem);
        assertThat(Files.readString(pem)).contains("BEGIN PRIVATE KEY").contains("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> server.certificate()
                        .verify(CertificateAuthority.create("other")
                                .certificate()
                                .getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
    }
}
