package io.posestream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLedgerTest {
    @Test
    void framesAnsweredOnceEachAreComplete() {
        AuditLedger ledger = new AuditLedger();
        for (long seq = 0; seq < 5; seq++) {
            ledger.frame("cam1", seq, 1000 + seq);
            ledger.pose("cam1", seq, 1000 + seq, seq == 3 ? "SKIPPED_STALE" : "POSED");
            ledger.event("cam1", seq, 1000 + seq);
        }
        AuditReport report = ledger.report();
        assertThat(report.complete()).isTrue();
        assertThat(report.frames()).isEqualTo(5);
        assertThat(report.statuses()).containsEntry("POSED", 4).containsEntry("SKIPPED_STALE", 1);
        assertThat(report.table())
                .contains("OK: every frame answered exactly once")
                .contains("| cam1 | POSED | 4 | 4 |");
    }

    @Test
    void aMissingOrSecondAnswerIsAGapNamedByCameraAndSeq() {
        AuditLedger ledger = new AuditLedger();
        for (long seq = 0; seq < 4; seq++) {
            ledger.frame("cam1", seq, 1000 + seq);
        }
        ledger.pose("cam1", 0, 1000, "POSED");
        ledger.event("cam1", 0, 1000);
        ledger.pose("cam1", 1, 1001, "POSED"); // no event
        ledger.pose("cam1", 2, 1002, "POSED");
        ledger.pose("cam1", 2, 1002, "POSED"); // twice
        ledger.event("cam1", 2, 1002);
        // seq 3: nothing at all
        AuditReport report = ledger.report();
        assertThat(report.complete()).isFalse();
        assertThat(report.missing()).isEqualTo(2);
        assertThat(report.duplicated()).isEqualTo(1);
        assertThat(report.table())
                .contains("GAP")
                .contains("| cam1 | NO_POSE_FRAME | 1 | 0 | 1 | 1 | 0 | 0 |")
                .contains("seq 3: 1 frame record(s), 0 pose frame(s), 0 event(s)");
    }

    @Test
    void seqsIngestNeverDeliveredAreGapsNotMissingAnswers() {
        AuditLedger ledger = new AuditLedger();
        for (long seq : new long[] {0, 1, 4, 5}) {
            ledger.frame("cam1", seq, 1000 + seq);
            ledger.pose("cam1", seq, 1000 + seq, "POSED");
            ledger.event("cam1", seq, 1000 + seq);
        }
        AuditReport report = ledger.report();
        assertThat(report.complete()).isTrue();
        assertThat(report.seqGaps()).isEqualTo(2);
    }

    @Test
    void anIngestRestartStartsSeqAgainWithoutDuplicatesOrGaps() {
        AuditLedger ledger = new AuditLedger();
        long[][] frames = {{0, 1000}, {1, 1001}, {2, 1002}, {0, 5000}, {1, 5001}};
        for (long[] f : frames) {
            ledger.frame("cam1", f[0], f[1]);
            ledger.pose("cam1", f[0], f[1], "POSED");
            ledger.event("cam1", f[0], f[1]);
        }
        AuditReport report = ledger.report();
        assertThat(report.complete()).isTrue();
        assertThat(report.frames()).isEqualTo(5);
        assertThat(report.seqGaps()).isZero();
    }

    @Test
    void answersToFramesOutsideTheWindowAreIgnored() {
        AuditLedger ledger = new AuditLedger();
        ledger.frame("cam1", 7, 1007);
        ledger.pose("cam1", 6, 1006, "POSED");
        ledger.pose("cam1", 7, 1007, "POSED");
        ledger.event("cam1", 6, 1006);
        ledger.event("cam1", 7, 1007);
        assertThat(ledger.report().complete()).isTrue();
        assertThat(ledger.report().frames()).isEqualTo(1);
    }
}
