package io.posestream.schemas.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts from files, with errors that name the file and what was wrong with it (never a password).
 *
 * <ul>
 *   <li>A trust store is a PEM file of CA certificates (a "CA bundle"), or a PKCS12 or JKS key store.</li>
 *   <li>A key store (a server's key and certificate chain) is PKCS12 or JKS.</li>
 * </ul>
 */
public final class KeyStores {
    /** Trust store type: PEM certificates. */
    public static final String PEM = "PEM";

    private KeyStores() {}

    /**
     * A client context trusting the CA certificates in {@code file}.
     *
     * @param type     {@code PEM}, {@code PKCS12} or {@code JKS}; null or empty: PEM when the file is PEM text,
     *                 else a key store
     * @param password the key store's password; null or empty for PEM, or to read certificates without checking
     *                 the store's integrity
     */
    public static SSLContext trusting(Path file, String type, char[] password) {
        KeyStore trusted = trustStore(file, type, password);
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot trust the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** A server context presenting the key and certificate chain in the PKCS12 (or JKS) key store {@code file}. */
    public static SSLContext serving(Path file, char[] password) {
        KeyStore keys = load(file, null, password);
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot use the key in key store " + file + " (wrong password, or no private key in it?): "
                            + e.getMessage(),
                    e);
        }
    }

    /** The certificates of a PEM file or key store, as a key store of trusted entries. */
    public static KeyStore trustStore(Path file, String type, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Trust store " + file + " does not exist");
        }
        String kind = type == null || type.isBlank() ? (isPem(file) ? PEM : null) : type.toUpperCase(Locale.ROOT);
        if (!PEM.equals(kind)) {
            return load(file, kind, password);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(
                        "Trust store " + file + " holds no certificate (no PEM block in it)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Trust store " + file + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String type, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Key store " + file + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // The JDK's PKCS12 key store also reads JKS files.
            KeyStore store = KeyStore.getInstance(type == null ? "PKCS12" : type);
            store.load(in, password == null || password.length == 0 ? null : password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot read key store " + file + (type == null ? "" : " (" + type + ")")
                            + " (wrong password, or not a key store?): " + e.getMessage(),
                    e);
        }
    }

    private static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            return new String(head, StandardCharsets.US_ASCII).contains("-----BEGIN ");
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
