package io.posestream.kafka.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key with its certificate and the CA that signed it, as a TLS server or client presents them.
 *
 * @param key         the private key (never written unencrypted except by {@link #writePem(Path)})
 * @param certificate the certificate issued for it
 * @param issuer      the CA certificate that signed it
 */
public record IssuedCertificate(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {
    /** The alias of the key entry in stores written here. */
    public static final String ALIAS = "posestream";

    /** Writes a PKCS12 key store holding the key and its chain (certificate, then CA) under {@link #ALIAS}. */
    public void writePkcs12(Path file, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate, issuer});
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write key store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the unencrypted PKCS#8 key followed by the certificate chain as PEM, for tools that take PEM (Node.js,
     * curl). Whoever reads the file has the key: keep it private.
     */
    public void writePem(Path file) {
        CertificateAuthority.writePem(file, List.of(key, certificate, issuer));
    }
}
