package io.posestream.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP: metrics served, readiness and liveness following the registered checks. */
class ServiceEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private PrometheusMeterRegistry registry;
    private ServiceEndpoint endpoint;

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        endpoint = ServiceEndpoint.start("test-service", registry, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFlipsWithItsChecksAndTheBodyNamesTheFailingOnes() throws Exception {
        HealthFlag model = new HealthFlag("model not loaded yet");
        AtomicBoolean streamsRunning = new AtomicBoolean(true);
        endpoint.readiness("model loaded", model)
                .readiness("streams RUNNING", HealthCheck.of(streamsRunning::get, "streams are REBALANCING"));

        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(notReady.body())
                .contains("\"status\":\"DOWN\"")
                .contains("\"failing\":[\"model loaded\"]")
                .contains("\"model loaded\":{\"status\":\"DOWN\",\"detail\":\"model not loaded yet\"}")
                .contains("\"streams RUNNING\":{\"status\":\"UP\"}");

        model.up();
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"").contains("\"failing\":[]");

        streamsRunning.set(false);
        HttpResponse<String> rebalancing = get("/health/ready");
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(rebalancing.body())
                .contains("\"failing\":[\"streams RUNNING\"]")
                .contains("streams are REBALANCING");
        assertThat(endpoint.readiness().failing()).containsExactly("streams RUNNING");
    }

    @Test
    void livenessIsIndependentOfReadiness() throws Exception {
        HealthFlag connected = new HealthFlag("producer not connected");
        endpoint.readiness("producer connected", connected);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        AtomicBoolean threadAlive = new AtomicBoolean(true);
        endpoint.liveness("worker thread alive", HealthCheck.of(threadAlive::get, "worker thread died"));
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        threadAlive.set(false);
        HttpResponse<String> dead = get("/health/live");
        assertThat(dead.statusCode()).isEqualTo(503);
        assertThat(dead.body()).contains("worker thread died");
    }

    @Test
    void aCheckThatThrowsFailsNamingTheException() throws Exception {
        endpoint.readiness("broken", () -> {
            throw new IllegalStateException("state store closed");
        });
        HttpResponse<String> response = get("/health/ready");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("IllegalStateException: state store closed");
    }

    @Test
    void metricsServeTheRegistryJvmMetersAndOneGaugePerCheck() throws Exception {
        Counter.builder("posestream.test.frames")
                .tag("camera", "cam1")
                .register(registry)
                .increment(3);
        HealthFlag model = new HealthFlag("not yet");
        endpoint.readiness("model loaded", model);

        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(scrape.body())
                .contains("posestream_test_frames_total{camera=\"cam1\"} 3.0")
                .contains("posestream_health{check=\"model loaded\",probe=\"ready\"} 0.0")
                .contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds");

        model.up();
        assertThat(get("/metrics").body()).contains("posestream_health{check=\"model loaded\",probe=\"ready\"} 1.0");
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/health/ready");
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health/ready"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aCheckNameIsRegisteredOnlyOncePerProbe() {
        endpoint.readiness("model loaded", HealthCheck.Result::up);
        assertThatThrownBy(() -> endpoint.readiness("model loaded", HealthCheck.Result::up))
                .hasMessageContaining("test-service")
                .hasMessageContaining("'model loaded'");
    }

    @Test
    void aPortInUseIsNamed() {
        PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> ServiceEndpoint.start("second", other, "127.0.0.1", endpoint.port()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("second")
                .hasMessageContaining("127.0.0.1:" + endpoint.port());
    }
}
