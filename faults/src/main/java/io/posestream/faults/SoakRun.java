package io.posestream.faults;

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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The soak: a running {@link LoopbackPipeline} sampled at a fixed interval for as long as asked, each service's heap
 * (its {@code /metrics}), resident memory, threads and open files ({@code /proc}), its consumer group's lag (Kafka's
 * committed offsets against the ends of its input topic), and the rate of posed frames. {@link #summary} judges the
 * part after the warm-up against the goals: resident memory grows less than 5%, threads and open files do not grow,
 * lag stays bounded.
 */
public final class SoakRun {
    /** Consumer groups by the service that owns them (the pipeline's defaults). */
    private static final Map<String, String[]> GROUPS = Map.of(
            LoopbackPipeline.INFER, new String[] {"posestream-inference", Topics.FRAMES}, "tracker-a", new String[] {
                "posestream-tracker", Topics.POSES
            });

    /**
     * One service at one moment.
     *
     * @param at           when
     * @param service      which
     * @param heapBytes    JVM heap in use ({@code jvm_memory_used_bytes{area="heap"}}), -1 unknown
     * @param process      resident memory, threads, open files
     * @param lag          records its consumer group is behind on its input topic, -1 when it has no group
     * @param posedPerSecond frames posed per second since the previous sample (inference only, else -1)
     */
    public record Sample(
            Instant at, String service, long heapBytes, ProcessSample process, long lag, double posedPerSecond) {}

    private final LoopbackPipeline pipeline;
    private final List<Sample> samples = new ArrayList<>();
    private double lastPosed = Double.NaN;
    private Instant lastPosedAt;

    public SoakRun(LoopbackPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Samples every {@code interval} for {@code length}, calling {@code each} with every round of samples. */
    public List<Sample> run(Duration length, Duration interval, java.util.function.Consumer<List<Sample>> each)
            throws InterruptedException {
        Instant end = Instant.now().plus(length);
        while (true) {
            List<Sample> round = sample();
            samples.addAll(round);
            each.accept(round);
            if (!Instant.now().plus(interval).isBefore(end.plusMillis(1))) {
                if (Instant.now().isBefore(end)) {
                    Thread.sleep(Duration.between(Instant.now(), end).toMillis());
                    List<Sample> last = sample();
                    samples.addAll(last);
                    each.accept(last);
                }
                return List.copyOf(samples);
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** One round: every service (and the broker) now. */
    public List<Sample> sample() {
        Instant now = Instant.now();
        Map<String, Long> lags = lags();
        List<Sample> round = new ArrayList<>();
        List<ServiceProcess> all = new ArrayList<>(pipeline.services());
        all.add(0, pipeline.broker());
        for (ServiceProcess service : all) {
            long heap = -1;
            if (service.metricsPort() > 0) {
                var scrape = service.get("/metrics");
                if (scrape != null && scrape.statusCode() == 200) {
                    heap = (long) PrometheusText.sum(scrape.body(), "jvm_memory_used_bytes{area=\"heap\"");
                }
            }
            double posedRate = -1;
            if (service.name().equals(LoopbackPipeline.INFER)) {
                var scrape = service.get("/metrics");
                double posed = scrape == null
                        ? Double.NaN
                        : PrometheusText.sum(scrape.body(), "posestream_inference_frames_total{status=\"posed\"");
                if (!Double.isNaN(lastPosed) && !Double.isNaN(posed)) {
                    posedRate = (posed - lastPosed)
                            / Math.max(0.001, Duration.between(lastPosedAt, now).toMillis() / 1000.0);
                }
                lastPosed = posed;
                lastPosedAt = now;
            }
            round.add(new Sample(
                    now,
                    service.name(),
                    heap,
                    service.alive() ? ProcessSample.of(service.pid()) : new ProcessSample(-1, -1, -1),
                    lags.getOrDefault(service.name(), -1L),
                    posedRate));
        }
        return round;
    }

    private Map<String, Long> lags() {
        Map<String, Long> lags = new HashMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrapServers()))) {
            for (Map.Entry<String, String[]> group : GROUPS.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getValue()[0])
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().stream()
                        .filter(tp -> tp.topic().equals(group.getValue()[1]))
                        .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                long lag = 0;
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all()
                        .get();
                for (Map.Entry<TopicPartition, OffsetSpec> tp : latest.entrySet()) {
                    lag += Math.max(
                            0,
                            ends.get(tp.getKey()).offset()
                                    - committed.get(tp.getKey()).offset());
                }
                lags.put(group.getKey(), lag);
            }
        } catch (Exception e) {
            // the broker is busy: no lag this round
        }
        return lags;
    }

    /** One line per sample round and service, for printing as it runs. */
    public static String row(Sample s, Instant start) {
        return String.format(
                Locale.ROOT,
                "| %6.1f | %-10s | %8s | %8.1f | %7d | %10d | %8s | %8s |",
                Duration.between(start, s.at()).toMillis() / 60_000.0,
                s.service(),
                s.heapBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.heapBytes() / 1048576.0),
                s.process().rssBytes() / 1048576.0,
                s.process().threads(),
                s.process().openFiles(),
                s.lag() < 0 ? "-" : Long.toString(s.lag()),
                s.posedPerSecond() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", s.posedPerSecond()));
    }

    /** Header of {@link #row}. */
    public static String header() {
        return "| minute | service    | heap MiB |  RSS MiB | threads | open files |      lag | posed/s |\n"
                + "|---|---|---|---|---|---|---|---|";
    }

    /**
     * Per service after {@code warmup}: resident memory first and last and its growth, threads and open files first
     * and highest, lag highest, posed rate mean; and whether each goal held.
     */
    public static String summary(List<Sample> samples, Instant warmupEnd) {
        Map<String, List<Sample>> byService = new LinkedHashMap<>();
        samples.stream()
                .filter(s -> !s.at().isBefore(warmupEnd))
                .forEach(s -> byService
                        .computeIfAbsent(s.service(), k -> new ArrayList<>())
                        .add(s));
        StringBuilder out = new StringBuilder(
                "| service | samples | RSS first MiB | RSS last MiB | RSS growth | threads first / max | "
                        + "open files first / max | lag max | posed/s mean | goals (RSS < 5%, no thread or file growth, lag bounded) |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
        byService.forEach((service, list) -> {
            Sample first = list.get(0);
            Sample last = list.get(list.size() - 1);
            double growth = 100.0
                    * (last.process().rssBytes() - first.process().rssBytes())
                    / Math.max(1, first.process().rssBytes());
            int maxThreads =
                    list.stream().mapToInt(s -> s.process().threads()).max().orElse(-1);
            int maxFiles =
                    list.stream().mapToInt(s -> s.process().openFiles()).max().orElse(-1);
            long maxLag = list.stream().mapToLong(Sample::lag).max().orElse(-1);
            double posed = list.stream()
                    .mapToDouble(Sample::posedPerSecond)
                    .filter(v -> v >= 0)
                    .average()
                    .orElse(-1);
            boolean threadsFlat = maxThreads <= first.process().threads() + 2;
            boolean filesFlat = maxFiles <= first.process().openFiles() + 4;
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.1f | %+.1f%% | %d / %d | %d / %d | %s | %s | %s |%n",
                    service,
                    list.size(),
                    first.process().rssBytes() / 1048576.0,
                    last.process().rssBytes() / 1048576.0,
                    growth,
                    first.process().threads(),
                    maxThreads,
                    first.process().openFiles(),
                    maxFiles,
                    maxLag < 0 ? "-" : Long.toString(maxLag),
                    posed < 0 ? "-" : String.format(Locale.ROOT, "%.2f", posed),
                    (growth < 5 ? "RSS ok" : "RSS grew") + ", " + (threadsFlat ? "threads ok" : "threads grew") + ", "
                            + (filesFlat ? "files ok" : "files grew")));
        });
        return out.toString();
    }
}
