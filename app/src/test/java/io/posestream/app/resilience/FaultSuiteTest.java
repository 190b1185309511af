package io.posestream.app.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import io.posestream.faults.Fault;
import io.posestream.faults.FaultRun;
import io.posestream.faults.FaultSuite;
import io.posestream.faults.LoopbackPipeline;
import io.posestream.faults.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: the pipeline as separate processes on loopback (real commands, the sample camera, the pretrained
 * models), each service behind its own proxy to the broker, and each fault once; after every fault each service makes
 * progress again and every frame that reached the frame topic has exactly one PoseFrame and one PoseEvent. Runs in
 * the build, and alone with {@code mvn -pl app verify -Pfaults}; {@code posestream bench faults} runs it longer.
 */
@Tag("faults")
class FaultSuiteTest {
    @TempDir
    Path temp;

    @Test
    void everyFrameIsAnsweredExactlyOnceThroughEveryFault() throws Exception {
        Services.prepareModels();
        LoopbackPipeline.Options options =
                new LoopbackPipeline.Options(temp, Services.MODELS, 2, 2.0, 2, Services.LAUNCHER, Map.of());
        List<FaultRun> runs = new ArrayList<>();
        try (LoopbackPipeline pipeline = LoopbackPipeline.start(options, Duration.ofMinutes(5));
                FaultSuite suite = new FaultSuite(pipeline)) {
            Instant started = Instant.now();
            suite.awaitStreaming(Duration.ofMinutes(3));
            runs.add(suite.run(Fault.BROKER_RESTART, Duration.ofSeconds(15), null));
            runs.add(suite.run(Fault.INFER_KILL, Duration.ZERO, null));
            runs.add(suite.run(Fault.TRACKER_TAKEOVER, Duration.ZERO, null));
            Instant registryDown = Instant.now();
            runs.add(suite.run(Fault.REGISTRY_RESTART, Duration.ZERO, null));
            Instant registryBack = Instant.now();
            runs.add(suite.run(Fault.NETWORK_CUT, Duration.ofSeconds(20), LoopbackPipeline.INFER));
            // Every frame written before the last fault has long been answered: the operator's command agrees.
            Instant answered = Instant.now().minusSeconds(30);
            runs.add(suite.run(Fault.SLOW_BROKER, Duration.ofSeconds(20), null));
            System.out.println(FaultSuite.table(runs));
            CliRun audit = CliRun.of(
                    "audit",
                    "--bootstrap-servers",
                    pipeline.bootstrapServers(),
                    "--schema-registry-url",
                    pipeline.registryUrl(),
                    "--from",
                    started.toString(),
                    "--to",
                    answered.toString());
            System.out.println(audit.out());
            assertThat(audit.exitCode())
                    .as("posestream audit\n" + audit.out() + audit.err())
                    .isZero();
            assertThat(audit.out())
                    .contains("OK: every frame answered exactly once")
                    .contains("| cam1 | POSED |");

            // A registry restart costs nothing: every schema is cached, so nothing was dead-lettered meanwhile.
            for (ServiceProcess service : pipeline.services()) {
                assertThat(service.lines(registryDown, registryBack).stream().map(ServiceProcess.Line::text))
                        .as(service + " dead-letters nothing while the registry restarts")
                        .noneMatch(l -> l.contains("dead-letter") || l.contains("Undecodable record"));
            }
        }
        for (FaultRun run : runs) {
            assertThat(run.recovery())
                    .as(run.fault() + ": every service makes progress again")
                    .doesNotContainValue(null);
            assertThat(run.audit().frames())
                    .as(run.fault() + ": frames audited")
                    .isPositive();
            assertThat(run.audit().missing())
                    .as(run.fault() + ": frames lost\n" + run.audit().table())
                    .isZero();
            assertThat(run.audit().duplicated())
                    .as(run.fault() + ": frames answered twice\n" + run.audit().table())
                    .isZero();
            assertThat((long) run.audit().seqGaps())
                    .as(run.fault() + ": frames ingest did not deliver are counted by ingest")
                    .isLessThanOrEqualTo(run.ingestDropped());
        }
        // The same for the registry: one line when it goes, one when it is back, nothing else (schemas are cached).
        runs.get(3).console().forEach((service, lines) -> {
            if (service.equals(LoopbackPipeline.REGISTRY)) {
                return;
            }
            assertThat(lines.stream().filter(l -> l.contains(" WARN ") && l.contains(": lost the schema registry at ")))
                    .as(service + ": one WARN for the registry's restart, in\n" + String.join("\n", lines))
                    .hasSize(1);
            assertThat(lines.stream()
                            .filter(l -> l.contains(" INFO ")
                                    && l.contains("schema registry at ")
                                    && l.contains(" is back after an outage of ")))
                    .as(service + ": one INFO when the registry is back")
                    .hasSize(1);
            assertThat(lines.stream()
                            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                            .filter(l -> !l.contains(": lost the schema registry at ")))
                    .as(service + ": no other warning while the registry restarts")
                    .isEmpty();
        });
        // One line when a service loses the broker, one when it is back; the clients' own retries stay quiet.
        FaultRun outage = runs.get(0);
        outage.console().forEach((service, lines) -> {
            assertThat(lines.stream().filter(l -> l.contains(" WARN ") && l.contains(": lost the broker at ")))
                    .as(service + ": one WARN for the outage, in\n" + String.join("\n", lines))
                    .hasSize(1);
            assertThat(lines.stream().filter(l -> l.contains(" INFO ") && l.contains(" is back after an outage of ")))
                    .as(service + ": one INFO when the broker is back, in\n" + String.join("\n", lines))
                    .hasSize(1);
            assertThat(lines.stream()
                            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                            .filter(l -> !l.contains(": lost the broker at ")))
                    .as(service + ": no other warning during the outage")
                    .isEmpty();
        });
    }
}
