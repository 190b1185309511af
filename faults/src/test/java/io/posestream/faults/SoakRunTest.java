package io.posestream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakRunTest {
    @Test
    void aProcessIsReadFromProc() {
        ProcessSample self = ProcessSample.of(ProcessHandle.current().pid());
        assertThat(self.rssBytes()).isPositive();
        assertThat(self.threads()).isPositive();
        assertThat(self.openFiles()).isPositive();
        assertThat(ProcessSample.of(Long.MAX_VALUE)).isEqualTo(new ProcessSample(-1, -1, -1));
    }

    @Test
    void theSummaryJudgesOnlyWhatCameAfterTheWarmUp() {
        Instant start = Instant.parse("2025-06-01T10:00:00Z");
        List<SoakRun.Sample> samples = new ArrayList<>();
        // ingest: grows during the warm-up, flat after it; infer: leaks memory, threads and files after it.
        long[][] ingest = {{100, 30, 40}, {200, 40, 50}, {201, 40, 50}, {203, 40, 50}};
        long[][] infer = {{500, 60, 80}, {500, 60, 80}, {540, 70, 90}, {600, 80, 99}};
        for (int i = 0; i < 4; i++) {
            Instant at = start.plusSeconds(60L * i);
            samples.add(sample(at, "ingest", ingest[i], -1, -1));
            samples.add(sample(at, "infer", infer[i], 3 + i, 2.5));
        }
        String summary = SoakRun.summary(samples, start.plusSeconds(60));
        assertThat(summary)
                .contains(
                        "| ingest | 3 | 200.0 | 203.0 | +1.5% | 40 / 40 | 50 / 50 | - | - | RSS ok, threads ok, files ok |")
                .contains(
                        "| infer | 3 | 500.0 | 600.0 | +20.0% | 60 / 80 | 80 / 99 | 6 | 2.50 | RSS grew, threads grew, files grew |");
    }

    private static SoakRun.Sample sample(Instant at, String service, long[] mibThreadsFiles, long lag, double posed) {
        return new SoakRun.Sample(
                at,
                service,
                mibThreadsFiles[0] * 1048576 / 2,
                new ProcessSample(mibThreadsFiles[0] * 1048576, (int) mibThreadsFiles[1], (int) mibThreadsFiles[2]),
                lag,
                posed);
    }
}
