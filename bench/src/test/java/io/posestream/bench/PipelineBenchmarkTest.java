package io.posestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench pipeline} on a few frames: the real models, a real worker and broker, every table printed. */
class PipelineBenchmarkTest {
    /** Prepared once per build of this module. */
    private static final Path MODELS = Path.of("target", "demo-models").toAbsolutePath();

    @Test
    void aShortRunPrintsBothPathsWithAndWithoutTrackingTheirRatiosAgreementLatenciesAndBatchSizes() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new BenchCommand())
                    .execute(
                            "pipeline",
                            "--frames",
                            "4",
                            "--table-frames",
                            "2",
                            "--cameras",
                            "2",
                            "--batch-sizes",
                            "1",
                            "--models-dir",
                            MODELS.toString());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out)
                .contains(
                        "bench pipeline on ",
                        "Frames: 4 JPEG q80 frames of vtest.avi (768x576",
                        "2 cameras, each 2 consecutive frames 4 video frames (400 ms) apart",
                        "| path ",
                        "| (b)/(a) ",
                        "| (d)/(c) ",
                        "| (d)/(b) ",
                        "| stage ",
                        "| pose batch ");
        for (String stage : new String[] {"decode", "detect", "crop", "pose", "heatmapDecode", "total"}) {
            assertThat(out).containsPattern("\\| " + stage + " +(\\| [0-9.,]+ +){4}\\|");
        }
        // Every path measured something: positive frames/s and persons/s (the sample frames show pedestrians).
        for (String path : new String[] {
            "\\(a\\) models alone, detector every frame",
            "\\(b\\) worker via broker, detector every frame",
            "\\(c\\) models alone, the model calls of \\(d\\)",
            "\\(d\\) worker via broker, tracking-driven crops"
        }) {
            Matcher row = Pattern.compile("\\| " + path + " +\\| ([0-9.,]+) +\\| ([0-9.,]+) +\\|")
                    .matcher(out);
            assertThat(row.find()).as(path + " row in:\n" + out).isTrue();
            assertThat(Double.parseDouble(row.group(1).replace(",", ""))).isPositive();
            assertThat(Double.parseDouble(row.group(2).replace(",", ""))).isPositive();
        }
        assertThat(out).containsPattern("\\| 1 +\\| [0-9.,]+ +\\| [0-9.,]+ +\\| [0-9.,]+ +\\| [0-9.,]+ +\\|");
        // (d)'s keypoints compared with (b)'s: a mean OKS, over the tracked frames too (the second frame of each).
        assertThat(out)
                .containsPattern("\\| (0\\.\\d+|1\\.000) \\(tracked frames (0\\.\\d+|1\\.000|NaN); persons found");
    }

    @Test
    void aBadOptionIsNamed() {
        CommandLine bench = new CommandLine(new BenchCommand());
        StringWriter err = new StringWriter();
        bench.setErr(new PrintWriter(err));

        int code = bench.execute("pipeline", "--frames", "0");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--frames must be at least 1, got 0");
    }
}
