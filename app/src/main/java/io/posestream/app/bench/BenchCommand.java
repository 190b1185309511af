package io.posestream.app.bench;

import picocli.CommandLine.Command;

/** Benchmarks; each prints a table with the machine noted and the limit it compares against. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure throughput next to its limit measured in the same run.",
        subcommands = {
            SerdeBenchmark.class,
            ModelBenchmark.class,
            io.posestream.app.ingest.IngestBenchmark.class,
            io.posestream.app.track.TrackerBenchmark.class,
            io.posestream.app.track.FootageBenchmark.class,
            io.posestream.app.track.LiveTracksBenchmark.class,
            io.posestream.app.infer.PipelineBenchmark.class,
            io.posestream.app.DemoBenchmark.class
        })
public final class BenchCommand {}
