package io.posestream.app.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.faults.ServiceProcess;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.kafka.EmbeddedKafka;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service started before its cluster exists, as the real command in its own process with the production logging:
 * it says once what it waits for, serves health meanwhile (ready down with the reason, live up), gives up with exit
 * status 69 when told to, and starts working by itself once a broker and a registry appear on those ports.
 */
class ServiceStartupTest {
    @TempDir
    Path temp;

    private record Started(ServiceProcess process, boolean needsRegistry) {}

    @Test
    void servicesSayOnceWhatTheyWaitForServeHealthAndStartWorkingWhenTheClusterAppears() throws Exception {
        Services.prepareModels();
        int kafkaPort = Services.freePort();
        int registryPort = Services.freePort();
        int dashboardPort = Services.freePort();
        String broker = "127.0.0.1:" + kafkaPort;
        String registryUrl = "http://127.0.0.1:" + registryPort;
        Map<String, Started> services = new LinkedHashMap<>();
        try (SampleRtspCamera camera = SampleRtspCamera.local().start()) {
            for (Map.Entry<String, List<String>> service : commands(
                            broker, registryUrl, registryPort, dashboardPort, camera.url())
                    .entrySet()) {
                ServiceProcess process =
                        Services.process(service.getKey(), temp, Services.freePort(), service.getValue());
                services.put(
                        service.getKey(),
                        new Started(process.start(), !service.getKey().equals("registry")));
            }
            try {
                for (Started started : services.values()) {
                    ServiceProcess service = started.process();
                    assertThat(service.awaitLine(
                                    Instant.EPOCH,
                                    l -> l.contains(": waiting for the broker at " + broker),
                                    Duration.ofSeconds(120)))
                            .as(service + " says it waits for the broker")
                            .isNotNull();
                    await(service + " ready down", () -> status(service, "/health/ready") == 503);
                    HttpResponse<String> ready = service.get("/health/ready");
                    assertThat(ready.body()).contains("waiting for the broker at " + broker + " since");
                    assertThat(status(service, "/health/live"))
                            .as(service + " live")
                            .isEqualTo(200);
                    if (started.needsRegistry()) {
                        assertThat(service.awaitLine(
                                        Instant.EPOCH,
                                        l -> l.contains(": waiting for the schema registry at " + registryUrl),
                                        Duration.ofSeconds(60)))
                                .as(service + " says it waits for the registry")
                                .isNotNull();
                    }
                }

                try (EmbeddedKafka kafka =
                        EmbeddedKafka.builder().brokerPort(kafkaPort).start()) {
                    for (Started started : services.values()) {
                        ServiceProcess service = started.process();
                        await(service + " ready once the cluster is there", service::ready);
                    }
                    ServiceProcess ingest = services.get("ingest").process();
                    ServiceProcess infer = services.get("infer").process();
                    ServiceProcess tracker = services.get("track").process();
                    await("ingest publishing", () -> ingest.metric("posestream_ingest_frames_published_total") > 0);
                    await("infer answering frames", () -> infer.metric("posestream_inference_frames_total") > 0);
                    await("the tracker tracking", () -> tracker.metric("kafka_stream_thread_process_total") > 0);
                    await("the dashboard showing cam1", () -> {
                        HttpResponse<String> state = ServiceProcess.get(dashboardPort, "/api/state");
                        return state != null && state.body().contains("\"cam1\"");
                    });
                }
            } finally {
                for (Started started : services.values()) {
                    started.process().stop(Duration.ofSeconds(20));
                }
            }
        }
        for (Started started : services.values()) {
            List<String> console = started.process().lines().stream()
                    .map(ServiceProcess.Line::text)
                    .toList();
            assertThat(console.stream().filter(l -> l.contains(": waiting for the broker at " + broker)))
                    .as(started.process() + ": one line saying what it waits for")
                    .hasSize(1);
            assertThat(console.stream().filter(l -> l.contains("the broker at " + broker + " answers, after")))
                    .as(started.process() + ": one line once the broker answers")
                    .hasSize(1);
            assertThat(console)
                    .as(started.process() + ": the Kafka clients' per-attempt warnings stay off the console")
                    .noneMatch(l -> l.contains("could not be established") || l.contains("Bootstrap broker"));
        }
    }

    @Test
    void aStartupTimeoutEndsEachServiceWithStatus69AndTheReason() throws Exception {
        Services.prepareModels();
        String broker = "127.0.0.1:" + Services.freePort();
        String registryUrl = "http://127.0.0.1:" + Services.freePort();
        List<ServiceProcess> processes = new ArrayList<>();
        for (Map.Entry<String, List<String>> service : commands(
                        broker, registryUrl, Services.freePort(), Services.freePort(), "rtsp://127.0.0.1:1/cam1")
                .entrySet()) {
            List<String> args = new ArrayList<>(service.getValue());
            args.addAll(List.of("--startup-timeout", "3s"));
            processes.add(Services.process(service.getKey(), temp, Services.freePort(), args)
                    .start());
        }
        // Settings come first: a misspelt key stops the start before anything waits for the cluster.
        List<String> typo =
                new ArrayList<>(commands(broker, registryUrl, 0, 0, "").get("track"));
        typo.addAll(List.of("--setting", "tracker.unkown.key=1"));
        ServiceProcess misspelt =
                Services.process("track-typo", temp, Services.freePort(), typo).start();
        try {
            assertThat(misspelt.awaitExit(Duration.ofSeconds(180)))
                    .as("exit status of a misspelt setting")
                    .isNotZero();
            assertThat(misspelt.lines().stream().map(ServiceProcess.Line::text))
                    .anyMatch(l -> l.contains("tracker.unkown.key"))
                    .noneMatch(l -> l.contains("waiting for the broker"));
            for (ServiceProcess process : processes) {
                Integer status = process.awaitExit(Duration.ofSeconds(180));
                assertThat(status).as(process + " exit status").isEqualTo(69);
                assertThat(process.lines().stream().map(ServiceProcess.Line::text))
                        .as(process + " says why")
                        .anyMatch(l -> l.contains(
                                "the broker at " + broker + " did not answer within 3s " + "(--startup-timeout)"));
            }
        } finally {
            misspelt.kill();
            for (ServiceProcess process : processes) {
                process.kill();
            }
        }
    }

    private Map<String, List<String>> commands(
            String broker, String registryUrl, int registryPort, int dashboardPort, String cameraUrl) {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        List<String> cluster = List.of("--bootstrap-servers", broker, "--schema-registry-url", registryUrl);
        commands.put(
                "registry",
                List.of("registry", "--bootstrap-servers", broker, "--port", Integer.toString(registryPort)));
        commands.put("ingest", concat(List.of("ingest", "--camera", "cam1=" + cameraUrl, "--fps", "2"), cluster));
        commands.put("infer", concat(List.of("infer", "--models-dir", Services.MODELS.toString()), cluster));
        commands.put(
                "track",
                concat(List.of("track", "--state-dir", temp.resolve("tracker").toString()), cluster));
        commands.put("dashboard", concat(List.of("dashboard", "--port", Integer.toString(dashboardPort)), cluster));
        commands.put("connect", concat(List.of("connect", "--rest-address", "127.0.0.1", "--rest-port", "0"), cluster));
        return commands;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int status(ServiceProcess service, String path) {
        HttpResponse<String> response = service.get(path);
        return response == null ? -1 : response.statusCode();
    }

    /** Waits for the condition, generously: the machine may be shared and slow. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(500);
        }
    }
}
