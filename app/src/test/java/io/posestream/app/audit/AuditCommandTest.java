package io.posestream.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.app.CliRun;
import org.junit.jupiter.api.Test;

/** {@code posestream audit}'s window options, refused with a clear message before any connection is made. */
class AuditCommandTest {
    private static final String[] CLUSTER = {
        "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1"
    };

    @Test
    void aTimeThatIsNeitherAnInstantNorADurationIsNamed() {
        CliRun run = CliRun.of(concat("audit", "--from", "yesterday"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--from': 'yesterday'");
    }

    @Test
    void aWindowThatEndsBeforeItBeginsIsRefused() {
        CliRun run = CliRun.of(concat("audit", "--from", "2025-06-01T10:00:00Z", "--to", "2025-06-01T09:00:00Z"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--to (2025-06-01T09:00:00Z) must be after --from (2025-06-01T10:00:00Z)");
    }

    @Test
    void offsetsAreReadAsPartitionFirstAndEnd() {
        CliRun run = CliRun.of(concat("audit", "--frames-offsets", "0:100"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'0:100' (expected PARTITION:FIRST-END");
    }

    private static String[] concat(String... args) {
        String[] all = new String[args.length + CLUSTER.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(CLUSTER, 0, all, args.length, CLUSTER.length);
        return all;
    }
}
