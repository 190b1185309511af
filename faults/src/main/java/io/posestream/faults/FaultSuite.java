package io.posestream.faults;

import io.posestream.audit.AuditReport;
import io.posestream.audit.TopicAudit;
import io.posestream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts faults on a running {@link LoopbackPipeline}, one after the other, and after each one measures how long every
 * service took to make progress again and audits the frames written around it ({@link TopicAudit}, the code of
 * {@code posestream audit}): every frame that reached the frame topic must have exactly one PoseFrame and one
 * PoseEvent; frames ingest could not deliver are counted by ingest itself.
 */
public final class FaultSuite implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultSuite.class);
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(150);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration CONSOLE_MARGIN = Duration.ofSeconds(10);

    private final LoopbackPipeline pipeline;
    private final ProgressLog progress;
    private final TopicAudit audit;

    public FaultSuite(LoopbackPipeline pipeline) {
        this.pipeline = pipeline;
        this.progress = new ProgressLog(pipeline, Topics.FRAMES, Topics.POSES, Topics.POSE_EVENTS);
        this.audit = new TopicAudit(pipeline.clientConfig());
    }

    public ProgressLog progress() {
        return progress;
    }

    /** Waits until every service makes progress on every camera (the pipeline is streaming). */
    public void awaitStreaming(Duration timeout) throws InterruptedException {
        Instant since = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String service : ProgressLog.services()) {
            LoopbackPipeline.awaitTrue(
                    service + " streaming", deadline, () -> progress.recovery(service, since) != null);
        }
    }

    /**
     * Puts {@code fault} on the pipeline (for {@code outage} where it lasts), waits for recovery and audits.
     *
     * @param target the service a network cut is put on (ignored by the other faults)
     */
    public FaultRun run(Fault fault, Duration outage, String target) throws InterruptedException {
        Map<TopicPartition, Long> start = frameOffsets();
        double droppedBefore = ingestDropped();
        Instant injected = Instant.now();
        LOG.info("Fault {}: {} (outage {} s)", fault, fault.what(), outage.toSeconds());
        Instant ended = inject(fault, outage, target);
        Map<String, Duration> recovery = awaitRecovery(ended);
        Duration longest = recovery.values().stream()
                .map(d -> d == null ? RECOVERY_WAIT : d)
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
        Instant recovered = ended.plus(longest);
        if (fault == Fault.TRACKER_TAKEOVER) {
            // Back to two instances for what follows; its rebalance is part of this fault's window.
            pipeline.service("tracker-a").start();
            long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
            LoopbackPipeline.awaitTrue(
                    "tracker-a ready again",
                    deadline,
                    () -> pipeline.service("tracker-a").ready());
        }
        Thread.sleep(SETTLE.toMillis());
        Map<TopicPartition, Long> end = frameOffsets();
        AuditReport report = drainAndAudit(start, end);
        double droppedAfter = ingestDropped();
        Map<String, List<String>> console = new LinkedHashMap<>();
        // A service's own watch sees its dependency back up to one probe (2 s, plus the probe) after we do.
        Instant consoleEnd = recovered.plus(CONSOLE_MARGIN);
        long toWait = Duration.between(Instant.now(), consoleEnd).toMillis();
        if (toWait > 0) {
            Thread.sleep(toWait);
        }
        for (ServiceProcess service : pipeline.services()) {
            console.put(
                    service.name(),
                    service.lines(injected, consoleEnd).stream()
                            .map(ServiceProcess.Line::text)
                            .toList());
        }
        int affected = progress.count(LoopbackPipeline.INGEST, injected, recovered);
        FaultRun run = new FaultRun(
                fault,
                fault == Fault.NETWORK_CUT ? target : fault == Fault.TRACKER_TAKEOVER ? "tracker-a" : "all",
                injected,
                ended,
                recovery,
                affected + (int) Math.max(0, droppedAfter - droppedBefore),
                (long) Math.max(0, droppedAfter - droppedBefore),
                report,
                console);
        LOG.info("Fault {}: recovery {}, audit:\n{}", fault, recovery, report.table());
        return run;
    }

    private Instant inject(Fault fault, Duration outage, String target) throws InterruptedException {
        switch (fault) {
            case BROKER_RESTART -> {
                pipeline.broker().kill();
                Thread.sleep(outage.toMillis());
                pipeline.broker().start();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                LoopbackPipeline.awaitTrue("the broker back", deadline, pipeline::brokerAnswers);
                return Instant.now();
            }
            case INFER_KILL -> {
                ServiceProcess infer = pipeline.service(LoopbackPipeline.INFER);
                infer.kill();
                Instant killed = Instant.now();
                infer.start();
                return killed;
            }
            case TRACKER_TAKEOVER -> {
                pipeline.service("tracker-a").kill();
                return Instant.now();
            }
            case REGISTRY_RESTART -> {
                ServiceProcess registry = pipeline.service(LoopbackPipeline.REGISTRY);
                registry.kill();
                Thread.sleep(5_000);
                registry.start();
                return Instant.now();
            }
            case NETWORK_CUT -> {
                TcpProxy proxy = pipeline.proxy(target);
                proxy.cut();
                Thread.sleep(outage.toMillis());
                proxy.restore();
                return Instant.now();
            }
            case SLOW_BROKER -> {
                Instant began = Instant.now();
                pipeline.proxies().forEach(p -> p.latency(Duration.ofMillis(100)));
                Thread.sleep(outage.toMillis());
                pipeline.proxies().forEach(TcpProxy::restore);
                return began;
            }
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    private Map<String, Duration> awaitRecovery(Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
        Map<String, Duration> recovery = new LinkedHashMap<>();
        while (true) {
            recovery.clear();
            boolean all = true;
            for (String service : ProgressLog.services()) {
                Duration took = progress.recovery(service, since);
                recovery.put(service, took);
                all &= took != null;
            }
            if (all || System.nanoTime() > deadline) {
                return recovery;
            }
            Thread.sleep(500);
        }
    }

    /** Audits the frames of the window until every one is answered, or the drain wait is over. */
    private AuditReport drainAndAudit(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end)
            throws InterruptedException {
        Map<Integer, long[]> ranges = new HashMap<>();
        start.forEach((tp, first) -> ranges.put(tp.partition(), new long[] {first, end.getOrDefault(tp, first)}));
        long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
        AuditReport report = null;
        RuntimeException failure = null;
        do {
            try {
                report = audit.run(TopicAudit.Window.offsets(ranges), Duration.ofSeconds(60));
                if (report.complete()) {
                    return report;
                }
            } catch (RuntimeException e) {
                // The registry or the broker is still coming back: the audit reads again.
                failure = e;
                LOG.info("Audit not possible yet: {}", e.toString());
            }
            Thread.sleep(3_000);
        } while (System.nanoTime() < deadline);
        if (report == null) {
            throw new IllegalStateException("The audit never ran: " + failure, failure);
        }
        return report;
    }

    private Map<TopicPartition, Long> frameOffsets() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(Topics.FRAMES))
                    .allTopicNames()
                    .get()
                    .get(Topics.FRAMES);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.FRAMES, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get()
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot read the frame topic's offsets: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private double ingestDropped() {
        double dropped = pipeline.service(LoopbackPipeline.INGEST).metric("posestream_ingest_frames_dropped_total");
        return Double.isNaN(dropped) ? 0 : dropped;
    }

    /** The fault table: one row per fault run, with the load average at the time of the first row. */
    public static String table(List<FaultRun> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| fault | target | recovery measured from | ");
        ProgressLog.services().forEach(s -> out.append(s).append(" recovery (s) | "));
        out.append(
                "frames affected | dropped by ingest (counted) | frames audited | posed | skipped | lost | duplicated |\n");
        out.append("|---|---|---|");
        ProgressLog.services().forEach(s -> out.append("---|"));
        out.append("---|---|---|---|---|---|---|\n");
        for (FaultRun run : runs) {
            out.append("| ")
                    .append(run.fault())
                    .append(" | ")
                    .append(run.target())
                    .append(" | ")
                    .append(run.fault().measuredFrom())
                    .append(" | ");
            for (String service : ProgressLog.services()) {
                Duration d = run.recovery().get(service);
                out.append(d == null ? "not recovered" : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0))
                        .append(" | ");
            }
            Map<String, Integer> statuses = run.audit().statuses();
            out.append(String.format(
                    Locale.ROOT,
                    "%d | %d | %d | %d | %d | %d | %d |%n",
                    run.framesAffected(),
                    run.ingestDropped(),
                    run.audit().frames(),
                    statuses.getOrDefault("POSED", 0),
                    statuses.getOrDefault("SKIPPED_STALE", 0),
                    run.audit().missing(),
                    run.audit().duplicated()));
        }
        return out.toString();
    }

    /** Per service, min / median / max recovery over runs of one fault. */
    public static String recoveryTable(List<FaultRun> runs) {
        StringBuilder out = new StringBuilder("| service | runs | min (s) | median (s) | max (s) | not recovered |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (String service : ProgressLog.services()) {
            List<Double> seconds = new ArrayList<>();
            int missing = 0;
            for (FaultRun run : runs) {
                Duration d = run.recovery().get(service);
                if (d == null) {
                    missing++;
                } else {
                    seconds.add(d.toMillis() / 1000.0);
                }
            }
            seconds.sort(Double::compare);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %d |%n",
                    service,
                    runs.size(),
                    seconds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", seconds.get(0)),
                    seconds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", median(seconds)),
                    seconds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", seconds.get(seconds.size() - 1)),
                    missing));
        }
        return out.toString();
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Override
    public void close() throws InterruptedException {
        progress.close();
    }
}
