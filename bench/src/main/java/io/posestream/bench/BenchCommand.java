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
            io.posestream.bench.IngestBenchmark.class,
            io.posestream.bench.TrackerBenchmark.class,
            io.posestream.bench.PipelineBenchmark.class,
            io.posestream.bench.DemoBenchmark.class,
            FaultBenchmark.class,
            SoakBenchmark.class
        })
public final class BenchCommand {}
