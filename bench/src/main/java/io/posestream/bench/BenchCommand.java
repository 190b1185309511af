package io.posestream.bench;

import picocli.CommandLine.Command;

/** Benchmarks; each prints a table with the machine noted and the limit it compares against. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure throughput next to its limit measured in the same run.",
        subcommands = {
            SerdeBenchmark.class,
            ModelBenchmark.class,
            IngestBenchmark.class,
            TrackerBenchmark.class,
            AnalyzeBenchmark.class,
            FootageBenchmark.class,
            LiveTracksBenchmark.class,
            PipelineBenchmark.class,
            DemoBenchmark.class,
            SmallPersonsBenchmark.class,
            FaultBenchmark.class,
            SoakBenchmark.class
        })
public final class BenchCommand {}
