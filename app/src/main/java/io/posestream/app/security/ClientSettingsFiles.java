package io.posestream.app.security;

import io.posestream.cli.ServiceSettings;
import io.posestream.kafka.security.BrokerSecurity;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The client settings of a secured broker written as files, one per service, so a service is pointed at the secured
 * cluster with {@code --config FILE} and nothing else about security:
 *
 * <ul>
 *   <li>every service: {@code bootstrap-servers} and the {@code kafka.*} SASL_SSL settings with its own SCRAM
 *       password;
 *   <li>the registry: also HTTPS with the broker directory's server key store and basic auth for the users of
 *       {@code registry-users.properties} (one per client service);
 *   <li>the registry's clients (ingest, infer, track, dashboard): also the CA to check the registry's certificate
 *       with and their registry user and password.
 * </ul>
 *
 * {@code admin.properties} is a plain Kafka client file for the super user (Kafka's own tools take it as
 * {@code --command-config}). Files are readable by their owner only: they hold passwords, which are printed nowhere
 * else.
 */
public final class ClientSettingsFiles {
    /** The super user's file. */
    public static final String ADMIN_FILE = "admin.properties";

    /** The registry's basic auth users, beside the broker's secrets. */
    public static final String REGISTRY_USERS_FILE = "registry-users.properties";

    private ClientSettingsFiles() {}

    /** The file of a service in {@code dir}. */
    public static Path of(Path dir, ServiceAccount account) {
        return dir.resolve(account.command() + ".properties");
    }

    /** Writes every service's file and the admin file into {@code dir}; returns the service files by account. */
    public static Map<ServiceAccount, Path> write(Path dir, BrokerSecurity security, String bootstrapServers) {
        Map<ServiceAccount, Path> files = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            Path usersFile = security.directory().resolve(REGISTRY_USERS_FILE);
            Properties registryUsers = registryUsers(usersFile);
            for (ServiceAccount account : ServiceAccount.values()) {
                Properties p = new Properties();
                p.setProperty("bootstrap-servers", bootstrapServers);
                security.clientConfig(account.user())
                        .forEach((key, value) -> p.setProperty(ServiceSettings.KAFKA_PREFIX + key, value.toString()));
                if (account == ServiceAccount.REGISTRY) {
                    p.setProperty("tls-keystore", security.serverKeystore().toString());
                    p.setProperty("tls-keystore-password", security.serverKeystorePassword());
                    p.setProperty("users-file", usersFile.toString());
                } else {
                    p.setProperty(
                            "schema-registry-truststore",
                            security.caCertificate().toString());
                    p.setProperty(
                            "schema-registry-user-info",
                            account.user() + ":" + registryUsers.getProperty(account.user()));
                }
                BrokerSecurity.writePrivate(
                        of(dir, account), p, "posestream " + account.command() + " as User:" + account.user());
                files.put(account, of(dir, account));
            }
            Properties admin = new Properties();
            admin.setProperty("bootstrap.servers", bootstrapServers);
            security.clientConfig(BrokerSecurity.SUPER_USER)
                    .forEach((key, value) -> admin.setProperty(key, value.toString()));
            BrokerSecurity.writePrivate(
                    dir.resolve(ADMIN_FILE), admin, "Kafka super user " + BrokerSecurity.SUPER_USER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write client settings to " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** The registry's users (one per client service), read and completed, or made now. */
    private static Properties registryUsers(Path file) throws IOException {
        Properties users = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                users.load(in);
            }
        }
        boolean added = false;
        for (ServiceAccount account : ServiceAccount.values()) {
            if (account != ServiceAccount.REGISTRY && users.getProperty(account.user()) == null) {
                users.setProperty(account.user(), BrokerSecurity.newPassword());
                added = true;
            }
        }
        if (added) {
            BrokerSecurity.writePrivate(file, users, "posestream schema registry users (basic auth)");
        }
        return users;
    }
}
