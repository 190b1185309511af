package io.posestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A client of Kafka Connect's REST API, shared by the {@code connect} command and the Connect benchmark (the
 * connector's own classes stay off their class path, isolated in the plugin directory as on any worker): the parts
 * of the API that {@code posestream connect} and its tests use: create or update a
 * connector (the worker forwards to the leader, as for any client), read its config and status, validate a config.
 */
public final class ConnectorRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The line {@code posestream connect} prints on stdout once its REST API listens ({@code connect.rest.url=URL}),
     * for whoever started it as a child process; group 1 is the URL.
     */
    public static final Pattern PRINTED_URL = Pattern.compile("connect\\.rest\\.url=(\\S+)");

    /** The line {@link #PRINTED_URL} matches. */
    public static String printedUrl(URI rest) {
        return "connect.rest.url=" + rest;
    }

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the worker's REST URL, e.g. {@code http://127.0.0.1:8083/} */
    public ConnectorRest(URI base) {
        this.base = base;
    }

    /** An answer of the REST API. */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** {@code PUT /connectors/NAME/config}: creates or updates. */
    public Answer put(String name, Map<String, String> config) throws IOException, InterruptedException {
        return send("PUT", "connectors/" + encode(name) + "/config", config);
    }

    /** {@code GET /connectors/NAME/config}. */
    public Answer config(String name) throws IOException, InterruptedException {
        return send("GET", "connectors/" + encode(name) + "/config", null);
    }

    /** {@code GET /connectors/NAME/status}. */
    public Answer status(String name) throws IOException, InterruptedException {
        return send("GET", "connectors/" + encode(name) + "/status", null);
    }

    /** {@code PUT /connector-plugins/CLASS/config/validate}. */
    public Answer validate(String connectorClass, Map<String, String> config) throws IOException, InterruptedException {
        return send("PUT", "connector-plugins/" + encode(connectorClass) + "/config/validate", config);
    }

    /** {@code GET /connector-plugins}. */
    public Answer plugins() throws IOException, InterruptedException {
        return send("GET", "connector-plugins?connectorsOnly=true", null);
    }

    /** {@code DELETE /connectors/NAME}. */
    public Answer delete(String name) throws IOException, InterruptedException {
        return send("DELETE", "connectors/" + encode(name), null);
    }

    /** The connector's config as the worker has it, or null when there is no such connector (yet). */
    public Map<String, String> configOrNull(String name) throws IOException, InterruptedException {
        Answer answer = config(name);
        if (!answer.ok()) {
            return null;
        }
        Map<String, String> config = new TreeMap<>();
        answer.body()
                .properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    private Answer send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode json = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        return new Answer(response.statusCode(), json);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
