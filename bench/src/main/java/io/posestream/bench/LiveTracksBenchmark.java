package io.posestream.bench;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.dashboard.CameraFigures;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.demo.DemoPipeline;
import io.posestream.models.ModelsDir;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The live pipeline on the sample cameras with default settings (the demo's services: RTSP cameras, ingest, one
 * inference worker, the tracker, the dashboard), measured for each camera count by the dashboard's own tracking
 * figures (confirmed share, median confirmed life, births per minute) and by the posed-frame intervals each camera
 * gets, read from the pose events.
 */
@Command(
        name = "tracks-live",
        mixinStandardHelpOptions = true,
        description = "Run the live pipeline on N sample cameras (vtest.avi over RTSP -> ingest -> inference -> "
                + "tracker -> dashboard, default settings) and print per camera: posed fps and the intervals between "
                + "posed frames, and the dashboard's tracking figures (confirmed share of tracked "
                + "person-observations, median confirmed track life, track births per minute), with the load average.")
public final class LiveTracksBenchmark implements Callable<Integer> {
    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,2,4",
            description = "Camera counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> cameraCounts;

    @Option(
            names = "--seconds",
            defaultValue = "120",
            description = "Measured seconds per camera count, after the warm-up (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            description = "Seconds run once poses reach the dashboard, before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--fps",
            defaultValue = "5",
            description = "Frames per second sampled from each camera, as the demo (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Models directory (default: $" + ModelsDir.ENV + ", else ~/.posestream/models).")
    Path modelsDir;

    /** One camera's measurement. */
    private record CameraResult(
            int cameras, String camera, double posedFps, List<Long> gaps, CameraFigures figures, String load) {}

    @Override
    public Integer call() throws Exception {
        if (seconds < 10 || seconds > 1800) {
            throw new IllegalArgumentException("--seconds must be 10..1800, got " + seconds);
        }
        String machine = MachineInfo.describe();
        List<CameraResult> results = new ArrayList<>();
        for (int cameras : cameraCounts) {
            results.addAll(measure(cameras));
        }
        System.out.println();
        System.out.println("bench tracks-live on " + machine);
        System.out.printf(
                Locale.ROOT,
                "Live pipeline with default settings: N sample RTSP cameras (vtest.avi, 768x576) sampled at %.1f fps "
                        + "-> ingest -> one inference worker (CenterNet + MoveNet-Thunder, CPU, latest frame first) -> "
                        + "tracker -> dashboard; %d s measured after %d s warm-up. Posed fps and intervals: from the "
                        + "pose events of POSED frames (capture time). Tracking figures: the dashboard's over the "
                        + "measured window (confirmed share of tracked person-observations, median life of the "
                        + "confirmed tracks that ended, births per camera-minute; no ground truth). Goal at 2 cameras: "
                        + "confirmed >= 80%%, median confirmed life >= 8 s. Load: /proc/loadavg (1, 5, 15 min) at the "
                        + "end of the window; the machine is shared with other work.%n",
                fps,
                seconds,
                warmup);
        BenchTable table = new BenchTable(
                "cameras",
                "camera",
                "posed fps",
                "interval p50 ms",
                "interval p90 ms",
                "interval max ms",
                "confirmed share",
                "median confirmed life s",
                "births / minute",
                "load average");
        for (CameraResult r : results) {
            List<Long> sorted = new ArrayList<>(r.gaps());
            Collections.sort(sorted);
            CameraFigures f = r.figures();
            table.row(
                    r.cameras(),
                    r.camera(),
                    r.posedFps(),
                    at(sorted, 0.5),
                    at(sorted, 0.9),
                    sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
                    f == null || f.confirmedShare() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * f.confirmedShare()),
                    f == null ? -1.0 : f.confirmedLifeP50S(),
                    f == null ? -1.0 : f.birthsPerMinute(),
                    r.load());
        }
        table.print(System.out);
        return 0;
    }

    private List<CameraResult> measure(int cameras) throws Exception {
        System.out.println("== " + cameras + " camera(s)");
        Map<String, Object> dashboard = Map.of(DashboardConfig.TRACKS_WINDOW_MS, seconds * 1000L);
        try (DemoPipeline pipeline = DemoPipeline.start(
                new DemoPipeline.Options(cameras, fps, 0, 0, modelsDir, dashboard, Map.of(), null), System.out)) {
            pipeline.awaitPoses(cameras);
            System.out.println("Poses reach the dashboard; warming up " + warmup + " s");
            pipeline.runFor(warmup * 1000L);
            Map<String, List<Long>> posedTimes = new TreeMap<>();
            long start = System.nanoTime();
            try (KafkaConsumer<String, PoseEvent> consumer = consumer(pipeline)) {
                long end = start + seconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    for (ConsumerRecord<String, PoseEvent> record : consumer.poll(Duration.ofMillis(500))) {
                        PoseEvent event = record.value();
                        if (event != null && event.getFrameStatus() == FrameStatus.POSED) {
                            posedTimes
                                    .computeIfAbsent(event.getCameraId(), id -> new ArrayList<>())
                                    .add(event.getCaptureTime().toEpochMilli());
                        }
                    }
                    pipeline.runFor(0);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            String load = loadAverage();
            Map<String, CameraFigures> figures = pipeline.dashboard().figures();
            System.out.println(pipeline.statusLine());
            List<CameraResult> out = new ArrayList<>();
            for (String camera : pipeline.ingest().cameraIds()) {
                List<Long> times = posedTimes.getOrDefault(camera, List.of());
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < times.size(); i++) {
                    gaps.add(times.get(i) - times.get(i - 1));
                }
                out.add(new CameraResult(cameras, camera, times.size() / elapsed, gaps, figures.get(camera), load));
            }
            return out;
        }
    }

    /** A read_committed consumer of the pose events from now on, every partition. */
    private static KafkaConsumer<String, PoseEvent> consumer(DemoPipeline pipeline) {
        Map<String, Object> config = new HashMap<>(pipeline.clientConfig());
        config.putAll(Topics.consumerSizing());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, PoseEvent> consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                AvroSerdes.specific(PoseEvent.class, pipeline.clientConfig(), false)
                        .deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.POSE_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
