package io.posestream.faults;

import io.posestream.audit.AuditReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one fault did to the pipeline.
 *
 * @param fault          the fault
 * @param target         the service it was put on, or "all"
 * @param injected       when it began
 * @param ended          when recovery is measured from ({@link Fault#measuredFrom()})
 * @param recovery       per service, how long after {@code ended} it made progress again on every camera (null: not
 *                       within the suite's wait)
 * @param framesAffected frames ingest took from the cameras from {@code injected} until every service had recovered,
 *                       delivered or not
 * @param ingestDropped  frames ingest counted as not delivered during the fault (every reason)
 * @param audit          the frames written from just before the fault to after its recovery, audited
 * @param console        per service, its console lines from {@code injected} until 10 s after recovery
 */
public record FaultRun(
        Fault fault,
        String target,
        Instant injected,
        Instant ended,
        Map<String, Duration> recovery,
        int framesAffected,
        long ingestDropped,
        AuditReport audit,
        Map<String, List<String>> console) {

    /** The longest recovery, or null when a service did not recover. */
    public Duration longestRecovery() {
        Duration longest = Duration.ZERO;
        for (Duration d : recovery.values()) {
            if (d == null) {
                return null;
            }
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    /** Nothing lost or duplicated: every frame that reached the frame topic has one PoseFrame and one PoseEvent. */
    public boolean exactlyOnce() {
        return audit.complete();
    }
}
