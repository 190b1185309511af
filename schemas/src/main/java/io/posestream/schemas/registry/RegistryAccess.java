package io.posestream.schemas.registry;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How the embedded registry's HTTP endpoint is protected: TLS with the key and certificate of a key store, HTTP
 * basic auth with a set of users, both or neither ({@link #OPEN}, the embedded default on 127.0.0.1). Passwords are
 * kept out of {@link #toString()}.
 *
 * @param keystore         PKCS12 (or JKS) key store with the server's key and certificate chain; null: plain HTTP
 * @param keystorePassword its password
 * @param users            user name to password; empty: no authentication
 */
public record RegistryAccess(Path keystore, char[] keystorePassword, Map<String, String> users) {
    /** Plain HTTP, no authentication. */
    public static final RegistryAccess OPEN = new RegistryAccess(null, null, Map.of());

    public RegistryAccess {
        users = Map.copyOf(users);
    }

    /** Whether the endpoint serves HTTPS. */
    public boolean tls() {
        return keystore != null;
    }

    /** Whether every request must carry HTTP basic auth of one of the users. */
    public boolean basicAuth() {
        return !users.isEmpty();
    }

    /**
     * Users from a properties file, one {@code user=password} a line (the file holds passwords: keep it readable by
     * the registry's user only).
     */
    public static Map<String, String> readUsers(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot read the registry users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> users = new TreeMap<>();
        for (String user : properties.stringPropertyNames()) {
            String password = properties.getProperty(user);
            if (user.isBlank() || user.contains(":") || password.isEmpty()) {
                throw new IllegalArgumentException("Registry users file " + file + ": user '" + user
                        + "' needs a name without ':' and a non-empty password");
            }
            users.put(user, password);
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("Registry users file " + file + " names no user");
        }
        return users;
    }

    @Override
    public String toString() {
        return "RegistryAccess[" + (tls() ? "https with " + keystore : "http") + ", "
                + (basicAuth() ? "basic auth for " + users.keySet() : "no authentication") + "]";
    }
}
