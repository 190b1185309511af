package io.posestream.schemas;

import io.posestream.kafka.security.CertificateAuthority;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS material for tests: a private CA (its certificate as PEM, what clients trust) and a PKCS12 key store with a
 * certificate for 127.0.0.1 and localhost signed by it (what a test server presents).
 *
 * @param caPem          the CA certificate
 * @param serverKeystore the server's key store
 * @param password       the key store's password
 */
public record TestTls(Path caPem, Path serverKeystore, char[] password) {
    /** Makes the material in {@code dir}. */
    public static TestTls create(Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("posestream test CA");
        Path caPem = dir.resolve("test-ca.pem");
        ca.writeCertificatePem(caPem);
        char[] password = "test-keystore-password".toCharArray();
        Path keystore = dir.resolve("test-server.p12");
        ca.issue("posestream-test-server", List.of("127.0.0.1", "localhost")).writePkcs12(keystore, password);
        return new TestTls(caPem, keystore, password);
    }
}
