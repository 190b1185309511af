package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posestream.schemas.registry.CompatibilityLevel;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Confluent REST behaviour of the embedded registry, over real HTTP, stored in a real broker. */
class EmbeddedSchemaRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryCluster cluster;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
        client = SchemaRegistryClient.forUrl(cluster.registryUrl());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Schema reading(String name, boolean withUnit) {
        var fields = SchemaBuilder.record(name)
                .namespace("test")
                .fields()
                .name("value")
                .type()
                .doubleType()
                .noDefault();
        if (withUnit) {
            fields = fields.name("unit").type().stringType().stringDefault("m");
        }
        return fields.endRecord();
    }

    private static Schema withRequiredField(String name) {
        return SchemaBuilder.record(name)
                .namespace("test")
                .fields()
                .name("value")
                .type()
                .doubleType()
                .noDefault()
                .name("sensor")
                .type()
                .stringType()
                .noDefault()
                .endRecord();
    }

    @Test
    void sameSchemaGetsTheSameIdAcrossRegistrationsAndSubjects() {
        String subject = RegistryCluster.freshTopic("same") + "-value";
        int first = client.register(subject, reading("Same", false));
        int again = SchemaRegistryClient.forUrl(cluster.registryUrl()).register(subject, reading("Same", false));
        int otherSubject = client.register(subject + "2", reading("Same", false));

        assertThat(again).isEqualTo(first);
        assertThat(otherSubject).isEqualTo(first);
        assertThat(client.versions(subject)).containsExactly(1);
        assertThat(client.schemaById(first)).isEqualTo(reading("Same", false));
        assertThat(client.lookup(subject, reading("Same", false)).version()).isEqualTo(1);
    }

    @Test
    void compatibleEvolutionAddsVersionsAndLatestFollows() {
        String subject = RegistryCluster.freshTopic("evolve") + "-value";
        int v1 = client.register(subject, reading("Evolve", false));
        int v2 = client.register(subject, reading("Evolve", true));

        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.latest(subject).id()).isEqualTo(v2);
        assertThat(client.version(subject, 1).id()).isEqualTo(v1);
        assertThat(client.isCompatible(subject, "latest", reading("Evolve", false)))
                .isTrue();
    }

    @Test
    void incompatibleSchemaIsRefusedWith409AndNothingIsStored() {
        String subject = RegistryCluster.freshTopic("incompatible") + "-value";
        client.register(subject, reading("Incompatible", false));

        assertThat(client.isCompatible(subject, "latest", withRequiredField("Incompatible")))
                .isFalse();
        assertThatThrownBy(() -> client.register(subject, withRequiredField("Incompatible")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("incompatible").contains("sensor");
                });
        assertThat(client.versions(subject)).containsExactly(1);
        assertThatThrownBy(() -> client.lookup(subject, withRequiredField("Incompatible")))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void compatibilityLevelsFollowAvrosRules() {
        String subject = RegistryCluster.freshTopic("levels") + "-value";
        client.register(subject, reading("Levels", false));
        // FORWARD: old readers must read new data; a new required field is fine for them.
        client.setCompatibility(subject, CompatibilityLevel.FORWARD);
        assertThat(client.register(subject, withRequiredField("Levels"))).isPositive();
        // FULL_TRANSITIVE: dropping the field without default breaks old readers.
        client.setCompatibility(subject, CompatibilityLevel.FULL_TRANSITIVE);
        assertThatThrownBy(() -> client.register(subject, reading("Levels", true)))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409));
        client.setCompatibility(subject, CompatibilityLevel.NONE);
        assertThat(client.register(subject, reading("Levels", true))).isPositive();
        assertThat(client.versions(subject)).containsExactly(1, 2, 3);
    }

    @Test
    void restErrorsUseConfluentCodesAndMediaType() throws Exception {
        HttpResponse<String> missingSubject = get("/subjects/nope-value/versions");
        assertThat(missingSubject.statusCode()).isEqualTo(404);
        assertThat(missingSubject.headers().firstValue("Content-Type"))
                .hasValue("application/vnd.schemaregistry.v1+json");
        assertThat(JSON.readTree(missingSubject.body()).path("error_code").asInt())
                .isEqualTo(40401);

        String subject = RegistryCluster.freshTopic("errors") + "-value";
        client.register(subject, reading("Errors", false));
        assertThat(code(get("/subjects/" + subject + "/versions/7"))).isEqualTo(40402);
        assertThat(code(get("/subjects/" + subject + "/versions/zero"))).isEqualTo(42202);
        assertThat(code(get("/schemas/ids/99999"))).isEqualTo(40403);
        assertThat(code(get("/config/" + subject))).isEqualTo(40408);

        HttpResponse<String> invalid =
                post("/subjects/" + subject + "/versions", "{\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(code(invalid)).isEqualTo(42201);
        assertThat(code(post("/subjects/" + subject + "/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}")))
                .isEqualTo(42201);
        assertThat(code(put("/config", "{\"compatibility\":\"SIDEWAYS\"}"))).isEqualTo(42203);
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void restAnswersHaveConfluentShapes() throws Exception {
        String subject = RegistryCluster.freshTopic("shapes") + "-value";
        int id = client.register(subject, reading("Shapes", false));

        JsonNode version =
                JSON.readTree(get("/subjects/" + subject + "/versions/latest").body());
        assertThat(version.path("subject").asText()).isEqualTo(subject);
        assertThat(version.path("version").asInt()).isEqualTo(1);
        assertThat(version.path("id").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(version.path("schema").asText())).isEqualTo(reading("Shapes", false));
        assertThat(JSON.readTree(get("/schemas/ids/" + id).body())
                        .path("schema")
                        .asText())
                .contains("Shapes");
        assertThat(JSON.readTree(get("/schemas/ids/" + id + "/schema").body())
                        .path("name")
                        .asText())
                .isEqualTo("Shapes");
        assertThat(JSON.readTree(get("/config").body())
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");
        assertThat(JSON.readTree(get("/config/" + subject + "?defaultToGlobal=true")
                                .body())
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");
        JsonNode verbose = JSON.readTree(post(
                        "/compatibility/subjects/" + subject + "/versions/1?verbose=true",
                        JSON.createObjectNode()
                                .put("schema", withRequiredField("Shapes").toString())
                                .toString())
                .body());
        assertThat(verbose.path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.path("messages")).isNotEmpty();
    }

    @Test
    void deletedSubjectsDisappearAndTheirIdsStayResolvable() {
        String subject = RegistryCluster.freshTopic("delete") + "-value";
        int id = client.register(subject, reading("Delete", false));

        assertThat(client.deleteSubject(subject)).containsExactly(1);
        assertThat(client.subjects()).doesNotContain(subject);
        assertThatThrownBy(() -> client.versions(subject))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40401));
        // Records written before the delete still decode.
        assertThat(SchemaRegistryClient.forUrl(cluster.registryUrl()).schemaById(id))
                .isEqualTo(reading("Delete", false));
        // Registering again continues the version numbering, as Confluent does.
        client.register(subject, reading("Delete", false));
        assertThat(client.versions(subject)).containsExactly(2);
    }

    @Test
    void idsVersionsAndConfigSurviveARegistryRestartAndCorruptEntriesAreSkipped() throws Exception {
        String subject = RegistryCluster.freshTopic("restart") + "-value";
        int v1 = client.register(subject, reading("Restart", false));
        int v2 = client.register(subject, reading("Restart", true));
        client.setCompatibility(subject, CompatibilityLevel.FULL);
        try (var producer = new KafkaProducer<>(
                java.util.Map.<String, Object>of("bootstrap.servers", cluster.kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.SCHEMAS, "this is not json", "{\"id\":"))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.SCHEMAS,
                            "{\"keytype\":\"SCHEMA\",\"subject\":\"x\",\"version\":1}",
                            "{\"subject\":\"x\",\"version\":1,\"id\":77,\"schema\":\"not a schema\"}"))
                    .get();
        }

        cluster.restartRegistry();
        SchemaRegistryClient fresh = SchemaRegistryClient.forUrl(cluster.registryUrl());

        assertThat(fresh.versions(subject)).containsExactly(1, 2);
        assertThat(fresh.version(subject, 1).id()).isEqualTo(v1);
        assertThat(fresh.latest(subject).id()).isEqualTo(v2);
        assertThat(fresh.register(subject, reading("Restart", true))).isEqualTo(v2);
        assertThat(JSON.readTree(get("/config/" + subject).body())
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");
        assertThat(fresh.subjects()).doesNotContain("x");
        // New ids continue after the highest stored one.
        assertThat(fresh.register(subject + "-new", reading("AfterRestart", false)))
                .isGreaterThan(v2);
    }

    @Test
    void storedSchemasSurviveABrokerRestartToo() {
        String subject = RegistryCluster.freshTopic("broker-restart") + "-value";
        int id = client.register(subject, reading("BrokerRestart", false));

        int port = cluster.registry.port();
        cluster.registry.close();
        cluster.kafka.stop();
        cluster.kafka.start();
        cluster.registry = cluster.startRegistry(port);

        SchemaRegistryClient fresh = SchemaRegistryClient.forUrl(cluster.registryUrl());
        assertThat(fresh.latest(subject).id()).isEqualTo(id);
        assertThat(fresh.schemaById(id)).isEqualTo(reading("BrokerRestart", false));
    }

    @Test
    void aRequestBodyLargerThanAnySchemaIsRefusedUnread() throws Exception {
        String huge = "{\"schema\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        HttpResponse<String> answer = post("/subjects/" + RegistryCluster.freshTopic("huge") + "/versions", huge);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(answer.body()).path("message").asText()).contains("larger than 4194304 bytes");
    }

    private static int code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error_code").asInt();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(cluster.registryUrl() + path)).GET());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(cluster.registryUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(cluster.registryUrl() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
