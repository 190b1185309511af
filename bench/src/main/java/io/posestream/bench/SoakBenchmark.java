package io.posestream.bench;

import io.posestream.cli.DurationConverter;
import io.posestream.faults.LoopbackPipeline;
import io.posestream.faults.SoakRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The soak: the pipeline as separate processes for a long while, sampled for leaks and lag. */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = "Run the pipeline as separate processes on loopback (broker, registry, sample cameras, ingest, "
                + "infer, tracker, dashboard) for --minutes and print, every --interval, each process's heap, resident "
                + "memory, threads, open files, its consumer group's lag and the posed rate; then a summary after "
                + "the warm-up against the goals: resident memory growth under 5%, no growth of threads or open "
                + "files, lag bounded. Every JVM takes its whole heap at start (-Xms = -Xmx, touched), "
                + "so resident memory shows growth beyond the heap, not the heap being sized.")
public final class SoakBenchmark implements Callable<Integer> {
    @Option(names = "--cameras", defaultValue = "8", description = "Sample cameras (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--minutes", defaultValue = "10", description = "Length of the soak (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(
            names = "--interval",
            converter = DurationConverter.class,
            defaultValue = "30s",
            description = "Time between samples (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--warmup",
            converter = DurationConverter.class,
            defaultValue = "2m",
            description = "Samples in the first part of the soak left out of the summary: JIT, caches and "
                    + "heap sizing settle there (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Mixin
    LoopbackOptions loopback;

    @Override
    public Integer call() throws Exception {
        LoopbackPipeline.Options options = loopback.pipeline("soak", cameras, 1, Map.of(), true);
        List<SoakRun.Sample> samples;
        Instant start;
        try (LoopbackPipeline pipeline = LoopbackPipeline.start(options, Duration.ofMinutes(5))) {
            System.out.println();
            System.out.println("Soak: " + cameras + " camera(s) at " + loopback.fps + " fps for " + minutes
                    + " min, a sample every "
                    + interval.toSeconds() + " s (lag: records the consumer group is behind on its input topic; "
                    + "posed/s: frames posed by the worker per second since the previous sample)");
            System.out.println(SoakRun.header());
            start = Instant.now();
            Instant begin = start;
            samples = new SoakRun(pipeline).run(Duration.ofMillis((long) (minutes * 60_000)), interval, round -> {
                round.forEach(s -> System.out.println(SoakRun.row(s, begin)));
                System.out.flush();
            });
        }
        System.out.println();
        System.out.println(
                "After the " + warmup.toSeconds() + " s warm-up (load average now " + MachineInfo.loadAverage() + "):");
        System.out.println(SoakRun.summary(samples, start.plus(warmup)));
        return 0;
    }
}
