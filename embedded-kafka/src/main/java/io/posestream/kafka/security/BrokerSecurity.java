package io.posestream.kafka.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a secured embedded broker needs and what its clients need to reach it, kept in one directory: a private CA
 * ({@code ca.pem}), the broker's key and certificate ({@code broker.p12}) and the SCRAM-SHA-512 users with their
 * generated passwords ({@code secrets.properties}, readable by its owner only), and a server certificate from the same
 * CA for HTTPS endpoints beside the broker, such as a schema registry ({@code server.p12}). A directory that already holds them
 * is reused as it is, so a broker restarted on the same data keeps its certificates and its users' passwords; users
 * named now but not yet in it are added with new passwords.
 *
 * <p>The broker serves clients on a SASL_SSL listener (SCRAM-SHA-512 over TLS) and its controller on a TLS listener
 * that demands the broker's own certificate. Two principals are super users: {@link #SUPER_USER} (the broker's own
 * inter-broker connections, and operators creating topics and ACLs) and the broker's certificate subject
 * ({@link #BROKER_PRINCIPAL}, on the controller listener). Every other user can do only what ACLs allow.
 *
 * <p>Passwords never appear in {@link #toString()}, exceptions or logs; only {@link #password(String)} and the client
 * settings hand them out.
 */
public final class BrokerSecurity {
    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The SCRAM user the broker uses itself and that may do anything: for operators, not for services. */
    public static final String SUPER_USER = "admin";

    /** The broker's certificate subject: its principal on the controller listener. */
    public static final String BROKER_PRINCIPAL = "CN=embedded-kafka-broker";

    public static final String CA_FILE = "ca.pem";
    public static final String KEYSTORE_FILE = "broker.p12";
    public static final String SECRETS_FILE = "secrets.properties";
    public static final String SERVER_KEYSTORE_FILE = "server.p12";

    private static final String KEYSTORE_PASSWORD = "keystore.password";
    private static final String SERVER_KEYSTORE_PASSWORD = "server.keystore.password";
    private static final String SCRAM_PREFIX = "scram.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Path directory;
    private final String keystorePassword;
    private final String serverKeystorePassword;
    private final Map<String, String> passwords;

    private BrokerSecurity(
            Path directory, String keystorePassword, String serverKeystorePassword, Map<String, String> passwords) {
        this.directory = directory;
        this.keystorePassword = keystorePassword;
        this.serverKeystorePassword = serverKeystorePassword;
        this.passwords = passwords;
    }

    /**
     * The security files in {@code directory}: read when it holds them, else made now (a new CA, broker certificate
     * for 127.0.0.1 and localhost, and passwords). {@link #SUPER_USER} and every name in {@code users} get a SCRAM
     * password.
     */
    public static BrokerSecurity inDirectory(Path directory, Collection<String> users) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path secrets = dir.resolve(SECRETS_FILE);
            Properties stored = new Properties();
            boolean fresh = !Files.exists(secrets);
            if (fresh) {
                stored.setProperty(KEYSTORE_PASSWORD, newPassword());
                stored.setProperty(SERVER_KEYSTORE_PASSWORD, newPassword());
                CertificateAuthority ca = CertificateAuthority.create("posestream embedded Kafka CA");
                ca.writeCertificatePem(dir.resolve(CA_FILE));
                List<String> local = List.of("127.0.0.1", "localhost");
                ca.issue(BROKER_PRINCIPAL.substring("CN=".length()), local)
                        .writePkcs12(
                                dir.resolve(KEYSTORE_FILE),
                                stored.getProperty(KEYSTORE_PASSWORD).toCharArray());
                ca.issue("posestream-https", local)
                        .writePkcs12(
                                dir.resolve(SERVER_KEYSTORE_FILE),
                                stored.getProperty(SERVER_KEYSTORE_PASSWORD).toCharArray());
            } else {
                try (Reader in = Files.newBufferedReader(secrets, StandardCharsets.UTF_8)) {
                    stored.load(in);
                }
                for (String file : List.of(CA_FILE, KEYSTORE_FILE, SERVER_KEYSTORE_FILE)) {
                    if (!Files.isRegularFile(dir.resolve(file))) {
                        throw new IllegalStateException("Broker security directory " + dir + " has " + SECRETS_FILE
                                + " but no " + file + ": remove the directory to start afresh");
                    }
                }
            }
            Map<String, String> passwords = new TreeMap<>();
            stored.stringPropertyNames().stream()
                    .filter(key -> key.startsWith(SCRAM_PREFIX))
                    .forEach(key -> passwords.put(key.substring(SCRAM_PREFIX.length()), stored.getProperty(key)));
            List<String> wanted = new ArrayList<>(users);
            wanted.add(SUPER_USER);
            boolean added = fresh;
            for (String user : wanted) {
                checkUserName(user);
                if (!passwords.containsKey(user)) {
                    passwords.put(user, newPassword());
                    stored.setProperty(SCRAM_PREFIX + user, passwords.get(user));
                    added = true;
                }
            }
            if (added) {
                writePrivate(secrets, stored, "Generated by posestream's embedded Kafka");
            }
            return new BrokerSecurity(
                    dir,
                    stored.getProperty(KEYSTORE_PASSWORD),
                    stored.getProperty(SERVER_KEYSTORE_PASSWORD),
                    passwords);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare broker security files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory holding the CA, the broker key store and the secrets. */
    public Path directory() {
        return directory;
    }

    /** The CA certificate (PEM) that clients trust: {@code ssl.truststore.type=PEM}. */
    public Path caCertificate() {
        return directory.resolve(CA_FILE);
    }

    /**
     * A PKCS12 key store with a certificate for 127.0.0.1 and localhost signed by the same CA: for an HTTPS server
     * beside the broker (the schema registry), which clients then trust with the same {@link #caCertificate()}.
     */
    public Path serverKeystore() {
        return directory.resolve(SERVER_KEYSTORE_FILE);
    }

    /** The password of {@link #serverKeystore()}. */
    public String serverKeystorePassword() {
        return serverKeystorePassword;
    }

    /** Every SCRAM user, {@link #SUPER_USER} included. */
    public Set<String> users() {
        return Set.copyOf(passwords.keySet());
    }

    /** The user's SCRAM password. */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No SCRAM user " + user + " (users: " + passwords.keySet() + ")");
        }
        return password;
    }

    /** Kafka client settings (no bootstrap servers) with which {@code user} reaches the broker. */
    public Map<String, Object> clientConfig(String user) {
        return clientConfig(user, password(user), caCertificate());
    }

    /**
     * Kafka client settings for SCRAM-SHA-512 over TLS with any credentials and trust store: the same shape every
     * posestream service takes through {@code kafka.*} passthrough.
     *
     * @param caPem the PEM file of CA certificates the client trusts
     */
    public static Map<String, Object> clientConfig(String user, String password, Path caPem) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", jaas(user, password));
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", caPem.toAbsolutePath().toString());
        return config;
    }

    /** Broker properties for a SASL_SSL client listener and a mutual-TLS controller listener. */
    public Map<String, String> brokerProperties(String clientListener, String controllerListener) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listener.security.protocol.map", clientListener + ":SASL_SSL," + controllerListener + ":SSL");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put(
                "listener.name." + clientListener.toLowerCase(java.util.Locale.ROOT) + "."
                        + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                jaas(SUPER_USER, password(SUPER_USER)));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", directory.resolve(KEYSTORE_FILE).toString());
        p.put("ssl.keystore.password", keystorePassword);
        p.put("ssl.key.password", keystorePassword);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caCertificate().toString());
        // Only the broker itself (its certificate) may talk to the controller.
        p.put(
                "listener.name." + controllerListener.toLowerCase(java.util.Locale.ROOT) + ".ssl.client.auth",
                "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + SUPER_USER + ";User:" + BROKER_PRINCIPAL);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** {@code kafka-storage format} arguments that put every SCRAM user into the new cluster's metadata. */
    public List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        passwords.forEach((user, password) -> {
            args.add("--add-scram");
            args.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
        });
        return args;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static void checkUserName(String user) {
        if (user == null || !user.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("SCRAM user names here are letters, digits, '.', '_' and '-': " + user);
        }
    }

    /** A new random password: 32 letters and digits (about 190 bits). */
    public static String newPassword() {
        char[] password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(password);
    }

    /**
     * Writes properties that hold passwords to a file readable and writable by its owner only (where the file system
     * has POSIX permissions), replacing it whole: no moment where the file exists with wider permissions.
     */
    public static void writePrivate(Path file, Properties properties, String comment) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".secrets", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, comment + " (holds passwords: keep private)");
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "BrokerSecurity[" + directory + ", users " + passwords.keySet() + "]";
    }
}
