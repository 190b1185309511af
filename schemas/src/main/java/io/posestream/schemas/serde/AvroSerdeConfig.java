package io.posestream.schemas.serde;

import io.posestream.schemas.registry.RegistryUrls;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.tls.KeyStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the Avro serde, declared once with Confluent's own keys so that a user's existing
 * {@code KafkaAvroSerializer} configuration carries over unchanged.
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent's older alias of {@link #BASIC_AUTH_USER_INFO}. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    /** posestream's own: the longest string a record may hold, checked before it is allocated. */
    public static final String MAX_STRING_BYTES = "posestream.avro.max.string.bytes";

    /** Confluent's key: the CA certificates an {@code https://} registry URL is checked against. */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";

    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Comma-separated schema registry URLs (Confluent REST API), tried in order.")
            .define(
                    AUTO_REGISTER_SCHEMAS,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Register the record's schema under its subject when serializing.")
            .define(
                    USE_LATEST_VERSION,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Serialize with the subject's latest registered schema (records are projected onto it).")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    "URL",
                    ConfigDef.ValidString.in("URL", "USER_INFO"),
                    Importance.MEDIUM,
                    "Where HTTP basic auth credentials come from: the URL's user-info part, or basic.auth.user.info.")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "user:password for HTTP basic auth when basic.auth.credentials.source=USER_INFO.")
            .define(
                    SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    "",
                    Importance.LOW,
                    "Older name of basic.auth.user.info.")
            .define(
                    MAX_STRING_BYTES,
                    Type.INT,
                    64 * 1024,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "The deserializer refuses a record with a longer string (UTF-8 bytes) before allocating it; "
                            + "bytes values, arrays and maps may not claim more than the record holds.")
            .define(
                    SSL_TRUSTSTORE_LOCATION,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Trust store for an https:// registry signed by a private CA: a PEM file of CA certificates, or a "
                            + "PKCS12 or JKS key store. Empty: the JDK's default CAs.")
            .define(
                    SSL_TRUSTSTORE_TYPE,
                    Type.STRING,
                    "",
                    ConfigDef.CaseInsensitiveValidString.in("", "PEM", "PKCS12", "JKS"),
                    Importance.LOW,
                    "PEM, PKCS12 or JKS; empty: PEM when the file is PEM text, else a key store.")
            .define(
                    SSL_TRUSTSTORE_PASSWORD,
                    Type.PASSWORD,
                    "",
                    Importance.LOW,
                    "Password of a PKCS12 or JKS trust store (none for PEM).")
            .define(
                    SPECIFIC_AVRO_READER,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Deserialize into generated SpecificRecord classes instead of GenericRecord.");

    public AvroSerdeConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** Declared settings, for documentation and CLI help. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public int maxStringBytes() {
        return getInt(MAX_STRING_BYTES);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** The client these settings describe. */
    public SchemaRegistryClient createClient() {
        return createClient(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** As {@link #createClient()}, with the given connect and answer timeouts (short ones for a health probe). */
    public SchemaRegistryClient createClient(Duration connectTimeout, Duration requestTimeout) {
        List<String> urls = registryUrls();
        if (urls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "", "at least one schema registry URL is required");
        }
        return new SchemaRegistryClient(urls, basicUserInfo(urls.get(0)), sslContext(), connectTimeout, requestTimeout);
    }

    /** The TLS context trusting the configured trust store, or null for the JDK's default CAs. */
    private SSLContext sslContext() {
        String location = getString(SSL_TRUSTSTORE_LOCATION);
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            return KeyStores.trusting(
                    Path.of(location),
                    getString(SSL_TRUSTSTORE_TYPE),
                    reveal(getPassword(SSL_TRUSTSTORE_PASSWORD)).toCharArray());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SSL_TRUSTSTORE_LOCATION, location, e.getMessage());
        }
    }

    private String basicUserInfo(String firstUrl) {
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            String userInfo = reveal(getPassword(BASIC_AUTH_USER_INFO));
            if (userInfo.isEmpty()) {
                userInfo = reveal(getPassword(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO));
            }
            if (userInfo.isEmpty()) {
                // Never echo the value: it would be a secret.
                throw new ConfigException(BASIC_AUTH_USER_INFO + " must be set (user:password) when "
                        + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO");
            }
            return userInfo;
        }
        return RegistryUrls.userInfo(firstUrl);
    }

    private static String reveal(Password password) {
        return password == null ? "" : password.value();
    }
}
