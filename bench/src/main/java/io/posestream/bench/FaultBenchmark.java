package io.posestream.bench;

import io.posestream.cli.DurationConverter;
import io.posestream.faults.Fault;
import io.posestream.faults.FaultRun;
import io.posestream.faults.FaultSuite;
import io.posestream.faults.LoopbackPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fault suite as a benchmark: the pipeline as separate processes on loopback, each fault once (the CI test's
 * run), then as many broker restarts as asked for the recovery table (min / median / max per service).
 */
@Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        description = "Run the pipeline as separate processes on loopback (broker, registry, sample camera, ingest, "
                + "infer, two trackers, dashboard; each service behind its own TCP proxy), put each fault on it, "
                + "and print per fault the recovery time of every service, frames affected, and the audit (lost, "
                + "duplicated); then --broker-restarts more broker restarts and min/median/max recovery per "
                + "service.")
public final class FaultBenchmark implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--faults",
            split = ",",
            description = "Faults to run once each, in order (default: all): ${COMPLETION-CANDIDATES}.")
    List<Fault> faults = List.of(Fault.values());

    @Option(
            names = "--broker-restarts",
            defaultValue = "10",
            description = "Broker restarts after the faults, for the recovery table (default: ${DEFAULT-VALUE}).")
    int brokerRestarts;

    @Option(
            names = "--outage",
            converter = DurationConverter.class,
            defaultValue = "15s",
            description = "How long the broker stays down, a link stays cut or slow (default: ${DEFAULT-VALUE}).")
    Duration outage;

    @Option(
            names = "--cut",
            defaultValue = "infer",
            description = "The service the network cut is put on: ingest, infer, tracker-a, tracker-b, dashboard or "
                    + "registry (default: ${DEFAULT-VALUE}).")
    String cutTarget;

    @Option(names = "--cameras", defaultValue = "2", description = "Sample cameras (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--service-setting",
            paramLabel = "SERVICE:KEY=VALUE",
            description = "A --setting for one service (registry, ingest, infer, tracker, dashboard), e.g. "
                    + "tracker:tracker.static.membership=false; repeatable.")
    List<String> serviceSettings = new ArrayList<>();

    @Mixin
    LoopbackOptions loopback;

    @Override
    public Integer call() throws Exception {
        Map<String, List<String>> settings = new java.util.HashMap<>();
        for (String setting : serviceSettings) {
            int colon = setting.indexOf(':');
            if (colon < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--service-setting': " + setting + " (expected SERVICE:KEY=VALUE)");
            }
            settings.computeIfAbsent(setting.substring(0, colon), k -> new ArrayList<>())
                    .add(setting.substring(colon + 1));
        }
        LoopbackPipeline.Options options = loopback.pipeline("faults", cameras, 2, settings, false);
        List<FaultRun> once = new ArrayList<>();
        List<FaultRun> restarts = new ArrayList<>();
        try (LoopbackPipeline pipeline = LoopbackPipeline.start(options, Duration.ofMinutes(5));
                FaultSuite suite = new FaultSuite(pipeline)) {
            suite.awaitStreaming(Duration.ofMinutes(3));
            for (Fault fault : faults) {
                FaultRun run = suite.run(fault, outage, cutTarget);
                once.add(run);
                System.out.println(fault + " done (load " + MachineInfo.loadAverage() + "), audit:");
                System.out.println(run.audit().table());
                System.out.flush();
            }
            for (int i = 0; i < brokerRestarts; i++) {
                FaultRun run = suite.run(Fault.BROKER_RESTART, outage, cutTarget);
                restarts.add(run);
                System.out.println("Broker restart " + (i + 1) + "/" + brokerRestarts + ": recovery "
                        + run.recovery() + ", lost " + run.audit().missing() + ", duplicated "
                        + run.audit().duplicated() + " (load " + MachineInfo.loadAverage() + ")");
                System.out.flush();
            }
        }
        System.out.println();
        System.out.println("Fault suite, " + cameras + " camera(s) at " + loopback.fps + " fps, outage "
                + outage.toSeconds() + " s; recovery = until the service made progress on every camera again (s):");
        System.out.println(FaultSuite.table(once));
        if (!restarts.isEmpty()) {
            System.out.println("Recovery after " + restarts.size() + " broker restarts (" + outage.toSeconds()
                    + " s down), from the restarted broker answering until progress on every camera:");
            System.out.println(FaultSuite.recoveryTable(restarts));
            System.out.println(FaultSuite.table(restarts));
        }
        System.out.println("Load average at end (1/5/15 min): " + MachineInfo.loadAverage());
        boolean exact = once.stream().allMatch(FaultRun::exactlyOnce)
                && restarts.stream().allMatch(FaultRun::exactlyOnce);
        return exact ? 0 : 1;
    }
}
