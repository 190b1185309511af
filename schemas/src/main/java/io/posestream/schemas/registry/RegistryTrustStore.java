package io.posestream.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates the registry client trusts for HTTPS, from a file: a PEM bundle of CA certificates (what a private
 * CA or cert-manager hands out, the same file Kafka's clients read with {@code ssl.truststore.type=PEM}) or a JKS or
 * PKCS12 trust store. Like a Kafka client's trust store it replaces the JVM's default CAs rather than adding to them.
 */
public final class RegistryTrustStore {
    /** The file formats understood, as Kafka and Confluent's clients name them. */
    public static final List<String> TYPES = List.of("PEM", "JKS", "PKCS12");

    private RegistryTrustStore() {}

    /**
     * A TLS context trusting the certificates in {@code file}.
     *
     * @param type     PEM, JKS or PKCS12 (any case)
     * @param password the store's password for JKS/PKCS12 (null when it has none); ignored for PEM
     * @throws IllegalArgumentException naming the file when it is missing, unreadable, or holds no certificate
     */
    public static SSLContext sslContext(Path file, String type, char[] password) {
        String format = type.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(format)) {
            throw new IllegalArgumentException("trust store type " + type + " is not one of " + TYPES);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("trust store " + file + " does not exist or is not a file");
        }
        try {
            KeyStore store = format.equals("PEM") ? fromPem(file) : fromKeyStore(file, format, password);
            if (store.size() == 0) {
                throw new IllegalArgumentException("trust store " + file + " (" + format + ") holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "trust store " + file + " (" + format + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyStore fromPem(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static KeyStore fromKeyStore(Path file, String format, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(format);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}
