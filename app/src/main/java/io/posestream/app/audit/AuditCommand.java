package io.posestream.app.audit;

import io.posestream.audit.AuditReport;
import io.posestream.audit.TopicAudit;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.DurationConverter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posestream audit}: were the frames of a window answered exactly once? */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Compare posestream.frames, posestream.poses and posestream.pose-events by (camera, seq) over a "
                + "time window or frame-topic offsets, and print per camera and PoseFrame status what was answered, "
                + "skipped, missing or duplicated. Reads as a read_committed consumer outside any group: nothing "
                + "is committed. Exit status 0 when every frame has exactly one PoseFrame and one PoseEvent, 1 on a "
                + "gap. Seqs that never reached the frame topic are listed as ingest's drops, not as gaps.")
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            description = "Frames written from this time: an ISO-8601 instant (2025-06-01T10:00:00Z) or how long ago "
                    + "(15m, 90s) (default: ${DEFAULT-VALUE}).",
            defaultValue = "10m")
    String from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            description = "Frames written before this time, as --from, or 'now'. The default leaves out the newest "
                    + "frames, which may still be on their way through the pipeline (default: ${DEFAULT-VALUE}).",
            defaultValue = "30s")
    String to;

    @Option(
            names = "--frames-offsets",
            paramLabel = "PARTITION:FIRST-END",
            split = ",",
            description = "Instead of a time window: frames at these offsets of the frame topic, end exclusive "
                    + "(e.g. 0:100-200,1:80-160).")
    String[] offsets;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Give up reading the topics after this long (default: ${DEFAULT-VALUE}).",
            defaultValue = "2m")
    Duration timeout;

    @Override
    public Integer call() {
        TopicAudit.Window window = window(Instant.now());
        AuditReport report = new TopicAudit(cluster.clientConfig()).run(window, timeout);
        CommandLine out = spec.commandLine();
        out.getOut().println("Audit of " + window + ":");
        out.getOut().println();
        out.getOut().print(report.table());
        out.getOut().flush();
        return report.complete() ? 0 : 1;
    }

    private TopicAudit.Window window(Instant now) {
        if (offsets != null && offsets.length > 0) {
            Map<Integer, long[]> ranges = new LinkedHashMap<>();
            for (String range : offsets) {
                try {
                    String[] partition = range.split(":", 2);
                    String[] bounds = partition[1].split("-", 2);
                    ranges.put(
                            Integer.parseInt(partition[0].trim()),
                            new long[] {Long.parseLong(bounds[0].trim()), Long.parseLong(bounds[1].trim())});
                } catch (RuntimeException e) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "Invalid value for option '--frames-offsets': '" + range
                                    + "' (expected PARTITION:FIRST-END, e.g. 0:100-200)");
                }
            }
            return TopicAudit.Window.offsets(ranges);
        }
        Instant start = instant("--from", from, now);
        Instant end = to.equalsIgnoreCase("now") ? null : instant("--to", to, now);
        if (end != null && !end.isAfter(start)) {
            throw new ParameterException(spec.commandLine(), "--to (" + end + ") must be after --from (" + start + ")");
        }
        return TopicAudit.Window.between(start, end);
    }

    private Instant instant(String option, String value, Instant now) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(DurationConverter.parse(value));
            } catch (CommandLine.TypeConversionException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '" + option + "': '" + value
                                + "' (an ISO-8601 instant such as 2025-06-01T10:00:00Z, or how long ago: 15m, 90s)");
            }
        }
    }
}
