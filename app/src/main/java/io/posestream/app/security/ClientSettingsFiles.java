package io.posestream.app.security;

import io.posestream.app.config.ServiceSettings;
import io.posestream.kafka.security.BrokerSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The client settings of a secured broker written as files, one per service, so a service is pointed at the cluster
 * with {@code --config FILE} and nothing else about security: {@code bootstrap-servers} plus the {@code kafka.*}
 * SASL_SSL settings with the service's own SCRAM password. {@code admin.properties} is a plain Kafka client file for
 * the super user (Kafka's own tools take it as {@code --command-config}). Files are readable by their owner only: they
 * hold passwords, which are printed nowhere else.
 */
public final class ClientSettingsFiles {
    /** The super user's file. */
    public static final String ADMIN_FILE = "admin.properties";

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
            for (ServiceAccount account : ServiceAccount.values()) {
                Properties p = new Properties();
                p.setProperty("bootstrap-servers", bootstrapServers);
                security.clientConfig(account.user())
                        .forEach((key, value) -> p.setProperty(ServiceSettings.KAFKA_PREFIX + key, value.toString()));
                writePrivate(of(dir, account), p, "posestream " + account.command() + " as User:" + account.user());
                files.put(account, of(dir, account));
            }
            Properties admin = new Properties();
            admin.setProperty("bootstrap.servers", bootstrapServers);
            security.clientConfig(BrokerSecurity.SUPER_USER)
                    .forEach((key, value) -> admin.setProperty(key, value.toString()));
            writePrivate(dir.resolve(ADMIN_FILE), admin, "Kafka super user " + BrokerSecurity.SUPER_USER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write client settings to " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static void writePrivate(Path file, Properties properties, String comment) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, comment + " (holds a password: keep private)");
        }
    }
}
