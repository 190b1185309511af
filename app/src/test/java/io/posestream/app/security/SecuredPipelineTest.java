package io.posestream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.PoseEvent;
import io.posestream.demo.EmbeddedStack;
import io.posestream.faults.PosestreamLauncher;
import io.posestream.faults.ServiceProcess;
import io.posestream.kafka.EmbeddedKafka;
import io.posestream.kafka.security.BrokerSecurity;
import io.posestream.kafka.security.CertificateAuthority;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipeline on a real secured cluster: one embedded broker for the class with a SASL_SSL listener (SCRAM-SHA-512
 * over TLS, certificates it generated), the StandardAuthorizer and each service's ACLs from {@link ServiceAccount}.
 * Every service runs as an operator starts it ({@code posestream <service> --config <its client settings file>}, a
 * child JVM with the real logging) and works by that configuration alone; with a wrong password, a CA it does not
 * trust or one ACL missing it stops, or (the dashboard) keeps serving while it retries, with an error that names the
 * problem, and no password anywhere in its output. The outcomes form the security matrix in
 * {@code target/security-matrix.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPipelineTest {
    private static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    /** Shared with the other app tests that run inference: prepared once per build. */
    private static final Path MODELS = Path.of("target", "demo-models").toAbsolutePath();

    private static final Path MATRIX = Path.of("target", "security-matrix.md");
    /** Each service run's output, kept for reading after a failure. */
    private static final Path LOGS = Path.of("target", "security-test-logs");

    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
    private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path temp;

    private static BrokerSecurity security;
    private static EmbeddedKafka kafka;
    private static Map<ServiceAccount, Path> clientFiles;
    private static Path untrustedCa;
    private static ServiceProcess registry;
    private static String registryUrl;
    private static final Map<ServiceAccount, Map<Failure, String>> MATRIX_CELLS = new EnumMap<>(ServiceAccount.class);

    /** What goes wrong in a negative case. */
    enum Failure {
        OK("SASL_SSL ok"),
        WRONG_PASSWORD("wrong password"),
        UNTRUSTED_CA("untrusted CA"),
        MISSING_ACL("missing ACL");

        final String heading;

        Failure(String heading) {
            this.heading = heading;
        }
    }

    @BeforeAll
    static void startSecuredCluster() throws Exception {
        List<String> users = new ArrayList<>(ServiceAccount.users());
        for (ServiceAccount account : ServiceAccount.values()) {
            users.add(partialUser(account));
        }
        security = BrokerSecurity.inDirectory(temp.resolve("security"), users);
        kafka = EmbeddedKafka.builder().security(security).start();
        EmbeddedStack.createTopics(kafka.adminConfig(), 2);
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            ServiceAccount.grantAll(admin);
            List<AclBinding> partial = new ArrayList<>();
            for (ServiceAccount account : ServiceAccount.values()) {
                List<AclBinding> acls = new ArrayList<>(account.acls(partialUser(account)));
                assertThat(acls.remove(missingAcl(account, partialUser(account))))
                        .isTrue();
                partial.addAll(acls);
            }
            if (!partial.isEmpty()) {
                admin.createAcls(partial).all().get(30, TimeUnit.SECONDS);
            }
        }
        clientFiles = ClientSettingsFiles.write(temp.resolve("clients"), security, kafka.bootstrapServers());
        untrustedCa = temp.resolve("untrusted-ca.pem");
        CertificateAuthority.create("a CA the broker's certificate does not chain to")
                .writeCertificatePem(untrustedCa);

        registry = start(
                LOGS.resolve("registry.log"),
                List.of(
                        "registry",
                        "--config",
                        clientFiles.get(ServiceAccount.REGISTRY).toString(),
                        "--port",
                        "0"));
        registryUrl = registry.awaitOutput(Pattern.compile("schema\\.registry\\.url=(\\S+)"), Duration.ofSeconds(90));
        assertThat(registryUrl).startsWith("https://127.0.0.1:");
    }

    @AfterAll
    static void stopAndWriteMatrix() throws Exception {
        try {
            if (registry != null) {
                registry.close();
                assertNoSecrets("registry", registry.console());
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            writeMatrix();
        }
    }

    /** The one ACL the partial user of each service lacks: the first thing each service needs of that kind. */
    private static AclBinding missingAcl(ServiceAccount account, String user) {
        return account.acls(user).stream()
                .filter(acl -> switch (account) {
                    case INGEST -> acl.pattern().name().equals(Topics.FRAMES);
                    case INFER -> acl.pattern().resourceType() == ResourceType.GROUP;
                    case TRACK, ANALYZE -> acl.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID;
                    case DASHBOARD -> acl.pattern().name().equals(Topics.POSE_EVENTS);
                    case REGISTRY -> acl.entry().operation() == AclOperation.READ;
                })
                .findFirst()
                .orElseThrow();
    }

    private static String partialUser(ServiceAccount account) {
        return account.user() + "-partial";
    }

    @Test
    @Order(1)
    void everyServiceWorksOverSaslSslByItsClientSettingsAlone() throws Exception {
        new ModelPreparer(MODELS, HumanModelsPackage.fromPath()).prepare();
        Map<ServiceAccount, ServiceProcess> services = new LinkedHashMap<>();
        try {
            for (ServiceAccount account : List.of(
                    ServiceAccount.TRACK, ServiceAccount.INFER, ServiceAccount.DASHBOARD, ServiceAccount.INGEST)) {
                services.put(
                        account,
                        start(LOGS.resolve(account.command() + ".log"), args(account, clientFiles.get(account))));
            }
            String dashboard = services.get(ServiceAccount.DASHBOARD)
                    .awaitOutput(Pattern.compile("Dashboard: (\\S+)"), Duration.ofSeconds(90));

            PoseEvent event = firstEventWithPersons(Duration.ofMinutes(4));
            assertThat(event.getCameraId()).isEqualTo("cam1");
            String state = awaitBody(URI.create(dashboard + "api/state"), "\"cam1\"", Duration.ofSeconds(60));
            assertThat(state).contains("\"cam1\"");

            MATRIX_CELLS
                    .computeIfAbsent(ServiceAccount.INGEST, k -> new LinkedHashMap<>())
                    .put(Failure.OK, "frames written; cam1 reached the tracker");
            MATRIX_CELLS
                    .computeIfAbsent(ServiceAccount.INFER, k -> new LinkedHashMap<>())
                    .put(Failure.OK, "frames posed, in transactions");
            MATRIX_CELLS
                    .computeIfAbsent(ServiceAccount.TRACK, k -> new LinkedHashMap<>())
                    .put(Failure.OK, "PoseEvent with " + event.getPersons().size() + " tracked persons");
            MATRIX_CELLS
                    .computeIfAbsent(ServiceAccount.DASHBOARD, k -> new LinkedHashMap<>())
                    .put(Failure.OK, "cam1 on /api/state");
            MATRIX_CELLS
                    .computeIfAbsent(ServiceAccount.REGISTRY, k -> new LinkedHashMap<>())
                    .put(Failure.OK, "schemas stored in _schemas, served over HTTPS with basic auth");
        } finally {
            for (ServiceProcess service : services.values()) {
                service.close();
            }
        }
        services.forEach((account, service) -> assertNoSecrets(account.command(), service.console()));
        assertThat(registry.alive()).isTrue();
    }

    @Test
    @Order(3)
    void brokerSecureSaysWhereEachServicesSettingsAreAndPrintsNoPassword() throws Exception {
        Path data = temp.resolve("broker-data");
        Path log = LOGS.resolve("broker-secure.log");
        Map<String, String> first;
        try (ServiceProcess broker =
                start(log, List.of("broker", "--secure", "--port", "0", "--data-dir", data.toString()))) {
            broker.awaitOutput(Pattern.compile("super user admin"), Duration.ofSeconds(120));
            first = printedSettings(broker.console());
        }
        assertThat(first.keySet())
                .containsExactlyInAnyOrder("ingest", "infer", "track", "analyze", "dashboard", "registry");
        Path securityDir = data.resolveSibling("broker-data-security");
        Properties secrets = load(securityDir.resolve(BrokerSecurity.SECRETS_FILE));
        for (String file : first.values()) {
            assertThat(Files.getPosixFilePermissions(Path.of(file)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(load(Path.of(file)).getProperty("kafka.sasl.jaas.config"))
                    .contains("password=");
        }
        String output = Files.readString(log);
        for (String key : secrets.stringPropertyNames()) {
            assertThat(output).as("broker output holds " + key).doesNotContain(secrets.getProperty(key));
        }
        // Started again on the same data, the broker reuses these files (SecuredEmbeddedKafkaTest restarts one).
    }

    /** The settings file each service is told to start with, by command, from {@code broker --secure}'s output. */
    private static Map<String, String> printedSettings(String output) {
        Map<String, String> files = new LinkedHashMap<>();
        var matcher = Pattern.compile("posestream (\\w+) --config (\\S+)").matcher(output);
        while (matcher.find()) {
            files.put(matcher.group(1), matcher.group(2));
        }
        return files;
    }

    static Stream<Arguments> failures() {
        List<Arguments> cases = new ArrayList<>();
        for (ServiceAccount account : ServiceAccount.values()) {
            if (account == ServiceAccount.ANALYZE) {
                continue; // AnalyticsAccountTest: the same account checks, without a child JVM per case
            }
            for (Failure failure : List.of(Failure.WRONG_PASSWORD, Failure.UNTRUSTED_CA, Failure.MISSING_ACL)) {
                cases.add(Arguments.of(account, failure));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("failures")
    @Order(2)
    void aServiceThatCannotUseKafkaSaysWhyWithoutItsSecret(ServiceAccount account, Failure failure) throws Exception {
        Path config = brokenConfig(account, failure);
        Path log = LOGS.resolve(account.command() + "-" + failure.name().toLowerCase(java.util.Locale.ROOT) + ".log");
        try (ServiceProcess service = start(log, args(account, config))) {
            String expected = expectedError(account, failure);
            // One line that names the problem and says what to check (Kafka's own log lines name it without a hint).
            String found = service.awaitOutput(
                    Pattern.compile(
                            "^(?=.*" + Pattern.quote(expected) + ")(?=.*" + Pattern.quote(hint(failure)) + ").*$"),
                    FAILURE_TIMEOUT);
            assertThat(found).contains(expected, hint(failure));
            String outcome;
            if (account == ServiceAccount.DASHBOARD) {
                // The page keeps serving (cameras shown stale, readiness down) while the reader retries.
                assertThat(service.awaitExit(Duration.ofSeconds(3)))
                        .as("dashboard still serving")
                        .isNull();
                outcome = "degrades: keeps serving, readiness down, retries; ";
            } else {
                Integer exit = service.awaitExit(Duration.ofSeconds(60));
                assertThat(exit)
                        .as("exit code of posestream " + account.command())
                        .isNotNull()
                        .isNotZero();
                outcome = "stops (exit " + exit + "); ";
            }
            service.close();
            assertNoSecrets(account.command(), service.console());
            MATRIX_CELLS
                    .computeIfAbsent(account, k -> new LinkedHashMap<>())
                    .put(failure, outcome + "`" + expected + "`");
        }
    }

    /** The phrase naming the problem that the service's output must hold. */
    private static String expectedError(ServiceAccount account, Failure failure) {
        return switch (failure) {
            case WRONG_PASSWORD -> "invalid credentials with SASL mechanism SCRAM-SHA-512";
            case UNTRUSTED_CA -> "unable to find valid certification path to requested target";
            case MISSING_ACL ->
                switch (account) {
                    case INGEST -> "Cannot create topics [posestream.frames]";
                    case INFER -> "Not authorized to access group: posestream-inference";
                    case TRACK, ANALYZE -> "Transactional Id authorization failed";
                    case DASHBOARD -> "Not authorized to access topics: [posestream.pose-events]";
                    case REGISTRY -> "Not authorized to access topics: [_schemas]";
                };
            case OK -> throw new IllegalArgumentException("not a failure");
        };
    }

    /** The hint {@code ClientErrors} adds for the failure. */
    private static String hint(Failure failure) {
        return switch (failure) {
            case WRONG_PASSWORD -> "Kafka refused the SASL credentials";
            case UNTRUSTED_CA -> "the TLS handshake with Kafka failed";
            case MISSING_ACL -> "an ACL is missing";
            case OK -> throw new IllegalArgumentException("not a failure");
        };
    }

    /** The service's client settings file with one thing broken. */
    private static Path brokenConfig(ServiceAccount account, Failure failure) throws IOException {
        Properties settings = load(clientFiles.get(account));
        Map<String, Object> broken = switch (failure) {
            case WRONG_PASSWORD ->
                BrokerSecurity.clientConfig(account.user(), WRONG_PASSWORD, security.caCertificate());
            case UNTRUSTED_CA ->
                BrokerSecurity.clientConfig(account.user(), security.password(account.user()), untrustedCa);
            case MISSING_ACL -> security.clientConfig(partialUser(account));
            case OK -> throw new IllegalArgumentException("not a failure");
        };
        broken.forEach((key, value) -> settings.setProperty("kafka." + key, value.toString()));
        Path file = temp.resolve(
                "configs/" + account.command() + "-" + failure.name().toLowerCase() + ".properties");
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file)) {
            settings.store(out, null);
        }
        return file;
    }

    /** The command line of a service, but for its client settings. */
    private static List<String> args(ServiceAccount account, Path config) {
        List<String> args = new ArrayList<>(List.of(account.command(), "--config", config.toString()));
        switch (account) {
            case INGEST ->
                args.addAll(List.of(
                        "--schema-registry-url",
                        registryUrl,
                        "--camera",
                        "cam1=" + VIDEO,
                        "--loop",
                        "--metrics-port",
                        "-1"));
            case INFER ->
                args.addAll(List.of(
                        "--schema-registry-url",
                        registryUrl,
                        "--models-dir",
                        MODELS.toString(),
                        // On a busy test machine a frame may wait longer than the default 5 s: pose the newest.
                        "--stale-ms",
                        "0",
                        "--metrics-port",
                        "-1"));
            case TRACK ->
                args.addAll(List.of(
                        "--schema-registry-url",
                        registryUrl,
                        "--state-dir",
                        temp.resolve("tracker-state-" + UUID.randomUUID()).toString(),
                        "--metrics-port",
                        "-1"));
            case DASHBOARD ->
                args.addAll(List.of("--schema-registry-url", registryUrl, "--port", "0", "--metrics-port", "-1"));
            case REGISTRY -> args.addAll(List.of("--port", "0"));
        }
        return args;
    }

    /** The first pose event with a tracked person, read as the super user. */
    private static PoseEvent firstEventWithPersons(Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafka.adminConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "security-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The registry serves HTTPS with basic auth (registry.properties): read as the dashboard does.
        Properties dashboard = load(clientFiles.get(ServiceAccount.DASHBOARD));
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        serde.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, dashboard.getProperty("schema-registry-truststore"));
        serde.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, dashboard.getProperty("schema-registry-user-info"));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, PoseEvent> consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(PoseEvent.class, serde, false).deserializer())) {
            consumer.subscribe(List.of(Topics.POSE_EVENTS));
            Map<String, Integer> seen = new java.util.TreeMap<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, PoseEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!record.value().getPersons().isEmpty()) {
                        return record.value();
                    }
                    seen.merge(String.valueOf(record.value().getFrameStatus()), 1, Integer::sum);
                }
            }
            throw new AssertionError("no pose event with persons within " + timeout + "; events without: " + seen);
        }
    }

    /**
     * {@code posestream ARGS} in a child JVM as an operator runs it (the real main class and log configuration), its
     * console copied to {@code log}.
     */
    private static ServiceProcess start(Path log, List<String> args) {
        return new ServiceProcess(
                        args.get(0),
                        PosestreamLauncher.ofClassPath(System.getProperty("java.class.path"))
                                .command(List.of("-Xmx384m"), args),
                        Map.of(),
                        log,
                        -1)
                .start();
    }

    private static String awaitBody(URI uri, String wanted, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            if (body.contains(wanted)) {
                return body;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(uri + " never held " + wanted + ": " + body);
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties;
    }

    /** No password (Kafka users, registry users, key store), nor the wrong one tried, in a service's output. */
    private static void assertNoSecrets(String service, String log) {
        for (String user : security.users()) {
            assertThat(log)
                    .as(service + " output holds the password of " + user)
                    .doesNotContain(security.password(user));
        }
        Properties registryUsers = load(security.directory().resolve(ClientSettingsFiles.REGISTRY_USERS_FILE));
        for (String user : registryUsers.stringPropertyNames()) {
            assertThat(log)
                    .as(service + " output holds the registry password of " + user)
                    .doesNotContain(registryUsers.getProperty(user));
        }
        assertThat(log)
                .as(service + " output holds the key store password")
                .doesNotContain(security.serverKeystorePassword());
        assertThat(log).as(service + " output holds the wrong password").doesNotContain(WRONG_PASSWORD);
    }

    private static void writeMatrix() throws IOException {
        StringBuilder table = new StringBuilder("| service (principal) |");
        for (Failure failure : Failure.values()) {
            table.append(' ').append(failure.heading).append(" |");
        }
        table.append("\n|---|---|---|---|---|\n");
        for (ServiceAccount account : ServiceAccount.values()) {
            if (account == ServiceAccount.ANALYZE) {
                continue; // not run here: AnalyticsAccountTest
            }
            table.append("| ")
                    .append(account.command())
                    .append(" (User:")
                    .append(account.user())
                    .append(") |");
            Map<Failure, String> cells = MATRIX_CELLS.getOrDefault(account, Map.of());
            for (Failure failure : Failure.values()) {
                table.append(' ').append(cells.getOrDefault(failure, "not run")).append(" |");
            }
            table.append('\n');
        }
        Files.createDirectories(MATRIX.toAbsolutePath().getParent());
        Files.writeString(MATRIX, table.toString(), StandardCharsets.UTF_8);
        System.out.println("Security matrix (" + MATRIX + "):\n" + table);
    }
}
