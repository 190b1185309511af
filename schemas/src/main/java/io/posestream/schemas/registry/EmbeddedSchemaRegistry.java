package io.posestream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.posestream.schemas.Topics;
import io.posestream.schemas.tls.KeyStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the subset of Confluent's REST API that serializers, the Confluent clients and
 * operators use, stored like Confluent's in a compacted Kafka topic ({@code _schemas}). It is the embedded
 * default; production points {@code schema.registry.url} at cp-schema-registry instead and nothing else changes.
 *
 * <p>One instance writes to a given topic at a time (Confluent elects a leader for that; the embedded default
 * runs one instance).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA_TYPE = SchemaRegistryClient.MEDIA_TYPE;
    /** Largest request body read: a schema is kilobytes; this bounds what one request can make the server hold. */
    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private final SchemaStore store = new SchemaStore();
    private final Object writeLock = new Object();
    private final KafkaSchemaLog log;
    private final String storeDescription;
    private final String host;
    private final int requestedPort;
    private final RegistryAccess access;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param kafkaConfig Kafka client settings for the store (at least bootstrap.servers)
     * @param host        address to bind, e.g. 127.0.0.1
     * @param port        port to bind, 0 for a free one
     */
    public EmbeddedSchemaRegistry(Map<String, Object> kafkaConfig, String host, int port) {
        this(kafkaConfig, Topics.SCHEMAS, host, port);
    }

    public EmbeddedSchemaRegistry(Map<String, Object> kafkaConfig, String topic, String host, int port) {
        this(kafkaConfig, topic, host, port, RegistryAccess.OPEN);
    }

    /**
     * @param access TLS and basic auth of the HTTP endpoint ({@link RegistryAccess#OPEN}: plain HTTP, no users)
     */
    public EmbeddedSchemaRegistry(
            Map<String, Object> kafkaConfig, String topic, String host, int port, RegistryAccess access) {
        this.access = access;
        // A bad key store fails now, before the schemas are loaded, naming the file.
        if (access.tls()) {
            KeyStores.serving(access.keystore(), access.keystorePassword());
        }
        this.log = new KafkaSchemaLog(topic, kafkaConfig);
        this.storeDescription = "topic " + topic + " on Kafka " + kafkaConfig.get("bootstrap.servers");
        this.host = host;
        this.requestedPort = port;
    }

    /** Loads the stored schemas from Kafka, then starts answering HTTP. */
    public EmbeddedSchemaRegistry start() throws IOException {
        long started = System.nanoTime();
        int[] loaded = new int[2];
        try {
            log.ensureTopic();
            log.replay((record, offset) -> {
                try {
                    store.apply(record.key(), record.value());
                    loaded[0]++;
                } catch (RuntimeException e) {
                    loaded[1]++;
                    LOG.warn(
                            "Skipping corrupt schema registry entry at {}-{} offset {}: {}",
                            record.topic(),
                            record.partition(),
                            offset,
                            e.getMessage());
                }
            });
        } catch (KafkaException e) {
            log.close();
            throw new KafkaException(
                    "Schema registry cannot load its schemas from " + storeDescription + ": " + e.getMessage(), e);
        }
        if (access.tls()) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(host, requestedPort), 64);
            https.setHttpsConfigurator(
                    new HttpsConfigurator(KeyStores.serving(access.keystore(), access.keystorePassword())));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        HttpContext context = server.createContext("/", this::handle);
        if (access.basicAuth()) {
            context.setAuthenticator(new UsersAuthenticator(access.users()));
        }
        server.start();
        LOG.info(
                "Schema registry listening at {} ({}{}; {} entries loaded, {} corrupt skipped, {} subjects) in {} ms",
                url(),
                access.tls() ? "HTTPS" : "HTTP",
                access.basicAuth() ? ", basic auth for " + access.users().size() + " user(s)" : ", no authentication",
                loaded[0],
                loaded[1],
                store.subjects().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    /** Base URL, e.g. http://127.0.0.1:8081 (https:// with TLS). */
    public String url() {
        return (access.tls() ? "https://" : "http://") + host + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        log.close();
    }

    // ---- HTTP ----

    /**
     * HTTP basic auth against the configured users, comparing in constant time. A refused request is logged with
     * the user name it claimed and where it came from, never with a password.
     */
    private static final class UsersAuthenticator extends BasicAuthenticator {
        private final Map<String, byte[]> users = new HashMap<>();

        UsersAuthenticator(Map<String, String> users) {
            super("posestream schema registry", StandardCharsets.UTF_8);
            users.forEach((user, password) -> this.users.put(user, password.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Result authenticate(HttpExchange exchange) {
            Result result = super.authenticate(exchange);
            if (!(result instanceof Success)) {
                String header = exchange.getRequestHeaders().getFirst("Authorization");
                LOG.warn(
                        "Schema registry refused {} {} from {}: {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRemoteAddress(),
                        header == null ? "no credentials" : "wrong user name or password");
            }
            return result;
        }

        @Override
        public boolean checkCredentials(String user, String password) {
            byte[] expected = users.get(user);
            byte[] given = password.getBytes(StandardCharsets.UTF_8);
            // Compare even for an unknown user, so the answer takes as long either way.
            return MessageDigest.isEqual(expected == null ? new byte[given.length + 1] : expected, given)
                    && expected != null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = route(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        query(exchange.getRequestURI().getRawQuery()),
                        exchange.getRequestBody());
            } catch (SchemaRegistryException e) {
                answer = error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (BadRequest e) {
                answer = error(e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Schema registry request {} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        e);
                answer = error(
                        500,
                        SchemaRegistryException.INTERNAL_ERROR,
                        "Error in the backend data store: " + e.getMessage());
            }
            byte[] body = answer.body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            exchange.sendResponseHeaders(answer.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, JsonNode body) {}

    private static final class BadRequest extends RuntimeException {
        final int status;
        final int code;

        BadRequest(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private Answer route(String method, String rawPath, Map<String, String> query, InputStream body)
            throws IOException {
        List<String> path = Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        switch (method + " " + first + "/" + n) {
            case "GET /0":
                return ok(JSON.createObjectNode());
            case "GET schemas/2":
                if ("types".equals(path.get(1))) {
                    return ok(JSON.createArrayNode().add("AVRO"));
                }
                break;
            case "GET schemas/3":
                if ("ids".equals(path.get(1))) {
                    return ok(JSON.createObjectNode().put("schema", store.schemaById(parseId(path.get(2)))));
                }
                break;
            case "GET schemas/4":
                if ("ids".equals(path.get(1)) && "schema".equals(path.get(3))) {
                    return ok(JSON.readTree(store.schemaById(parseId(path.get(2)))));
                }
                break;
            case "GET subjects/1":
                return ok(strings(store.subjects()));
            case "POST subjects/2":
                return lookup(path.get(1), readSchema(body));
            case "DELETE subjects/2":
                return deleteSubject(path.get(1), Boolean.parseBoolean(query.get("permanent")));
            case "GET subjects/3":
                if ("versions".equals(path.get(2))) {
                    ArrayNode versions = JSON.createArrayNode();
                    store.versions(path.get(1)).forEach(versions::add);
                    return ok(versions);
                }
                break;
            case "POST subjects/3":
                if ("versions".equals(path.get(2))) {
                    return register(path.get(1), readSchema(body));
                }
                break;
            case "GET subjects/4":
                if ("versions".equals(path.get(2))) {
                    return ok(versionJson(
                            store.version(path.get(1), path.get(3), Boolean.parseBoolean(query.get("deleted")))));
                }
                break;
            case "GET subjects/5":
                if ("versions".equals(path.get(2)) && "schema".equals(path.get(4))) {
                    return ok(JSON.readTree(
                            store.version(path.get(1), path.get(3), false).schema()));
                }
                break;
            case "POST compatibility/5":
                if ("subjects".equals(path.get(1)) && "versions".equals(path.get(3))) {
                    List<String> problems = store.incompatibilities(path.get(2), readSchema(body), path.get(4));
                    ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (Boolean.parseBoolean(query.get("verbose"))) {
                        answer.set("messages", strings(problems));
                    }
                    return ok(answer);
                }
                break;
            case "GET config/1":
                return ok(JSON.createObjectNode()
                        .put("compatibilityLevel", store.globalLevel().name()));
            case "PUT config/1":
                return setLevel(null, body);
            case "GET config/2":
                return subjectLevel(path.get(1), Boolean.parseBoolean(query.get("defaultToGlobal")));
            case "PUT config/2":
                return setLevel(path.get(1), body);
            default:
                break;
        }
        throw new BadRequest(404, 404, "HTTP 404 Not Found");
    }

    private Answer register(String subject, String schema) {
        synchronized (writeLock) {
            SchemaStore.Registration registration = store.register(subject, schema);
            if (registration.toAppend() != null) {
                append(registration.toAppend());
                LOG.info("Registered schema id {} under subject {}", registration.id(), subject);
            }
            return ok(JSON.createObjectNode().put("id", registration.id()));
        }
    }

    private Answer lookup(String subject, String schema) {
        return ok(versionJson(store.lookup(subject, schema)));
    }

    private Answer deleteSubject(String subject, boolean permanent) {
        synchronized (writeLock) {
            List<SchemaStore.Entry> entries = store.deleteSubject(subject, permanent);
            ArrayNode versions = JSON.createArrayNode();
            for (SchemaStore.Entry entry : entries) {
                append(entry);
                versions.add(readVersion(entry.key()));
            }
            LOG.info("Deleted subject {} ({}, versions {})", subject, permanent ? "permanent" : "soft", versions);
            return ok(versions);
        }
    }

    private Answer subjectLevel(String subject, boolean defaultToGlobal) {
        CompatibilityLevel level = store.subjectLevel(subject);
        if (level == null && !defaultToGlobal) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '" + subject + "' does not have subject-level compatibility configured");
        }
        return ok(JSON.createObjectNode()
                .put("compatibilityLevel", (level == null ? store.globalLevel() : level).name()));
    }

    private Answer setLevel(String subject, InputStream body) throws IOException {
        JsonNode request = readJsonBody(body);
        String text = request.path("compatibility")
                .asText(request.path("compatibilityLevel").asText(null));
        CompatibilityLevel level = CompatibilityLevel.parse(text);
        if (level == null) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, "
                            + "forward_transitive, and full_transitive");
        }
        synchronized (writeLock) {
            append(store.configEntry(subject, level));
        }
        LOG.info("Compatibility of {} set to {}", subject == null ? "the registry" : "subject " + subject, level);
        return ok(JSON.createObjectNode().put("compatibility", level.name()));
    }

    /** The one write path: durable in Kafka first, then visible. */
    private void append(SchemaStore.Entry entry) {
        log.append(entry.key(), entry.value());
        store.apply(entry.key(), entry.value());
    }

    private static ObjectNode versionJson(SchemaStore.Version v) {
        return JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema());
    }

    private static int readVersion(String keyJson) {
        try {
            return JSON.readTree(keyJson).path("version").asInt();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readSchema(InputStream body) throws IOException {
        JsonNode request = readJsonBody(body);
        String type = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: schemaType " + type + " is not supported by this registry (AVRO only)");
        }
        if (request.path("references").isArray() && !request.path("references").isEmpty()) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by this registry");
        }
        if (!request.path("schema").isTextual()) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: the request has no \"schema\" string");
        }
        return request.path("schema").asText();
    }

    private static JsonNode readJsonBody(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_REQUEST_BYTES + 1);
            if (bytes.length > MAX_REQUEST_BYTES) {
                throw new BadRequest(
                        413, 413, "Request body larger than " + MAX_REQUEST_BYTES + " bytes: no schema is that big");
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest(400, 400, "Unrecognized request body: " + e.getMessage());
        }
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(404, 404, "HTTP 404 Not Found");
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return params;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static Answer ok(JsonNode body) {
        return new Answer(200, body);
    }

    private static Answer error(int status, int code, String message) {
        return new Answer(
                status, JSON.createObjectNode().put("error_code", code).put("message", message));
    }
}
