package io.posestream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Client for Confluent's Schema Registry REST API (works against cp-schema-registry and posestream's embedded
 * registry alike). Schemas by id and ids by (subject, schema) are cached: both are immutable in the registry.
 * Thread-safe.
 */
public final class SchemaRegistryClient {
    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param urls           one or more registry base URLs, tried in order when one cannot be reached
     * @param basicUserInfo  {@code user:password} for HTTP basic auth, or null for none
     */
    public SchemaRegistryClient(List<String> urls, String basicUserInfo) {
        this(urls, basicUserInfo, null);
    }

    /**
     * @param urls           one or more registry base URLs, tried in order when one cannot be reached
     * @param basicUserInfo  {@code user:password} for HTTP basic auth, or null for none
     * @param ssl            TLS context for {@code https://} URLs (a private CA's trust store), or null for the
     *                       JDK's default CAs
     */
    public SchemaRegistryClient(List<String> urls, String basicUserInfo, SSLContext ssl) {
        this(urls, basicUserInfo, ssl, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /**
     * As above, with the time to connect and the time to wait for an answer given: short ones for a client that
     * only checks whether the registry answers.
     */
    public SchemaRegistryClient(
            List<String> urls, String basicUserInfo, SSLContext ssl, Duration connectTimeout, Duration requestTimeout) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("At least one schema registry URL is required");
        }
        this.baseUrls = urls.stream().map(RegistryUrls::stripUserInfo).toList();
        this.authorization = basicUserInfo == null || basicUserInfo.isEmpty()
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicUserInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (ssl != null) {
            http.sslContext(ssl);
        }
        this.http = http.build();
        this.requestTimeout = requestTimeout;
    }

    /** Client for one URL; credentials in the URL's user-info part are used for basic auth. */
    public static SchemaRegistryClient forUrl(String url) {
        return new SchemaRegistryClient(List.of(url), RegistryUrls.userInfo(url));
    }

    /** The registry URLs, credentials masked, for messages. */
    public String describe() {
        return String.join(",", baseUrls.stream().map(RegistryUrls::mask).toList());
    }

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    public int register(String subject, Schema schema) {
        String text = schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey(subject, text));
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text));
        int id = answer.path("id").asInt();
        remember(subject, text, id, schema);
        return id;
    }

    /** Looks the schema up under the subject without registering it; 40401/40403 when it is not there. */
    public RegisteredSchema lookup(String subject, Schema schema) {
        String text = schema.toString();
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(text));
        RegisteredSchema found = new RegisteredSchema(
                answer.path("subject").asText(subject),
                answer.path("version").asInt(),
                answer.path("id").asInt(),
                schema);
        remember(subject, text, found.id(), schema);
        return found;
    }

    /** The writer schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The latest version of the subject (never cached: it changes when a new version is registered). */
    public RegisteredSchema latest(String subject) {
        return version(subject, "latest");
    }

    /** One version of the subject. */
    public RegisteredSchema version(String subject, int version) {
        return version(subject, Integer.toString(version));
    }

    private RegisteredSchema version(String subject, String version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
        int id = answer.path("id").asInt();
        Schema schema = schemasById.computeIfAbsent(
                id, k -> parse(answer.path("schema").asText(), "subject " + subject + " version " + version));
        return new RegisteredSchema(
                answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
    }

    /** All live subjects. */
    public List<String> subjects() {
        return strings(send("GET", "/subjects", null));
    }

    /** All live versions of the subject, ascending. */
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /** Whether the schema is compatible with the given version ("latest" or a number) under the subject's level. */
    public boolean isCompatible(String subject, String version, Schema schema) {
        return send(
                        "POST",
                        "/compatibility/subjects/" + encode(subject) + "/versions/" + version,
                        schemaBody(schema.toString()))
                .path("is_compatible")
                .asBoolean();
    }

    /** The global compatibility level. */
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.parse(
                send("GET", "/config", null).path("compatibilityLevel").asText());
    }

    /**
     * Returns when the registry answers at all (any answer below HTTP 500 counts, even a refusal, since the registry
     * is there); throws {@link SchemaRegistryException} saying why when none of its URLs does.
     */
    public void ping() {
        try {
            send("GET", "/config", null);
        } catch (SchemaRegistryException e) {
            if (SchemaRegistryException.isUnavailable(e)) {
                // Only why: the caller (a DependencyWatch) names the registry already.
                throw new SchemaRegistryException(
                        e.getCause() instanceof IOException io ? describeFailure(io) : "HTTP " + e.httpStatus(), e);
            }
        }
    }

    /** Sets the compatibility level of one subject, or the global one when subject is null. */
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
    }

    /** Soft-deletes the subject; returns the versions deleted. */
    public List<Integer> deleteSubject(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("DELETE", "/subjects/" + encode(subject), null).forEach(v -> versions.add(v.asInt()));
        idsBySubjectAndSchema.keySet().removeIf(k -> k.startsWith(subject + '\u0000'));
        return versions;
    }

    private void remember(String subject, String text, int id, Schema schema) {
        idsBySubjectAndSchema.put(cacheKey(subject, text), id);
        schemasById.putIfAbsent(id, schema);
    }

    private static String cacheKey(String subject, String schemaText) {
        return subject + '\u0000' + schemaText;
    }

    private static ObjectNode schemaBody(String schemaText) {
        return JSON.createObjectNode().put("schema", schemaText);
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    200,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Registry answered an unparseable Avro schema for " + what + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends one request, trying each base URL in turn while they cannot be reached. */
    private JsonNode send(String method, String path, JsonNode body) {
        IOException lastFailure = null;
        for (String base : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(requestTimeout)
                    .header("Accept", MEDIA_TYPE + ", application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body.toString()));
            if (body != null) {
                request.header("Content-Type", MEDIA_TYPE);
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling schema registry " + describe(), e);
            }
            return answer(method, base, path, response);
        }
        throw new SchemaRegistryException(
                "Schema registry unreachable at " + describe() + " (" + method + " " + path + "): "
                        + describeFailure(lastFailure),
                lastFailure);
    }

    /** java.net.http often throws exceptions without a message; say what kind of failure it was. */
    private static String describeFailure(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (nothing listening there, or the host is unreachable)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within the timeout";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS handshake failed (is the registry's certificate signed by a CA this client trusts? see "
                        + "schema.registry.ssl.truststore.location): " + t.getMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static JsonNode answer(String method, String base, String path, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        int code =
                json != null && json.has("error_code") ? json.path("error_code").asInt() : status;
        String message = json != null && json.has("message")
                ? json.path("message").asText()
                : status == 401
                        ? "unauthorized: the registry wants HTTP basic auth (basic.auth.user.info) or refused the "
                                + "credentials"
                        : abbreviate(response.body());
        throw new SchemaRegistryException(
                status,
                code,
                "Schema registry " + RegistryUrls.mask(base) + " answered " + method + " " + path + " with HTTP "
                        + status + " (error_code " + code + "): " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
