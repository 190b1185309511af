package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client over HTTPS with a private CA: a CA and a server certificate made by the JDK's keytool, a real
 * TLS server (the JDK's HttpsServer) in front of the real embedded registry, and the client trusting the CA through the
 * serde's {@code schema.registry.ssl.truststore.*} settings, as a PEM bundle and as a PKCS12 trust store.
 */
class RegistryOverHttpsTest {
    private static final String STORE_PASSWORD = "test-only";

    @TempDir
    static Path dir;

    private static RegistryCluster cluster;
    private static HttpsServer front;
    private static String httpsUrl;
    private static Path caPem;
    private static Path caP12;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RegistryCluster();
        makeCertificates();
        front = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        front.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        HttpClient plain = HttpClient.newHttpClient();
        front.createContext("/", exchange -> forward(plain, exchange));
        front.start();
        httpsUrl = "https://127.0.0.1:" + front.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (front != null) {
            front.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Schema schema(String name) {
        return SchemaBuilder.record(name)
                .namespace("test.tls")
                .fields()
                .requiredString("id")
                .endRecord();
    }

    private static SchemaRegistryClient client(Map<String, Object> tls) {
        Map<String, Object> config = new java.util.HashMap<>(tls);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, httpsUrl);
        return new AvroSerdeConfig(config).createClient();
    }

    @Test
    void aClientTrustingThePrivateCaRegistersAndReadsOverHttps() {
        SchemaRegistryClient pem = client(Map.of(
                AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, caPem.toString(), AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PEM"));
        Schema schema = schema("OverPem");
        int id = pem.register("tls-pem-value", schema);
        assertThat(pem.schemaById(id)).isEqualTo(schema);

        SchemaRegistryClient p12 = client(Map.of(
                AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION,
                caP12.toString(),
                AvroSerdeConfig.SSL_TRUSTSTORE_TYPE,
                "pkcs12",
                AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD,
                STORE_PASSWORD));
        assertThat(p12.subjects()).contains("tls-pem-value");
        // The same id through the plain-HTTP registry behind the TLS front: one real registry.
        assertThat(SchemaRegistryClient.forUrl(cluster.registryUrl()).schemaById(id))
                .isEqualTo(schema);
    }

    @Test
    void aClientWithoutThePrivateCaRefusesTheCertificateAndSaysWhy() {
        SchemaRegistryClient defaults = client(Map.of());
        assertThatThrownBy(defaults::subjects)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(httpsUrl)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
    }

    /** The configuration error for a trust store {@code file} of {@code type}. */
    private static String refusal(Path file, String type) {
        ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> client(Map.of(
                        AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION,
                        file.toString(),
                        AvroSerdeConfig.SSL_TRUSTSTORE_TYPE,
                        type)));
        return error.getMessage();
    }

    @Test
    void aMissingOrEmptyTrustStoreFailsAtConfigurationNamingTheKeyAndFile() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertThat(refusal(missing, "PEM"))
                .contains(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, missing.toString(), "does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertThat(refusal(garbage, "PEM")).contains(garbage.toString(), "cannot be read");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThat(refusal(empty, "PEM")).contains(empty.toString(), "holds no certificate");
        assertThat(refusal(caPem, "DER")).contains(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "DER");
    }

    /** Passes one request on to the plain-HTTP registry and its answer back. */
    private static void forward(HttpClient http, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(cluster.registryUrl() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Accept", "Content-Type")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers()
                    .firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A private CA, a server certificate for 127.0.0.1 signed by it, and the CA as PEM and as a PKCS12 trust store. */
    private static void makeCertificates() throws Exception {
        caPem = dir.resolve("ca.pem");
        caP12 = dir.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=posestream test CA",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-keystore",
                "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                "server.csr",
                "-outfile",
                "server.pem",
                "-rfc",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12");
        keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("keytool " + String.join(" ", args) + ": " + output)
                .isZero();
    }
}
