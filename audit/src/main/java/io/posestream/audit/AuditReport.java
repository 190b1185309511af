package io.posestream.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an audit found, per camera and PoseFrame status: frames in the window, what is missing or duplicated, and the
 * seqs ingest never delivered. {@link #complete()} is the verdict: every frame has exactly one PoseFrame and one
 * PoseEvent.
 *
 * @param cameras one entry per camera seen in the window, by camera id
 */
public record AuditReport(List<CameraAudit> cameras) {
    /** The status of frames without any PoseFrame. */
    public static final String NO_POSE = "NO_POSE_FRAME";

    public AuditReport {
        cameras = List.copyOf(cameras);
    }

    /**
     * The frames of one camera with one PoseFrame status ({@code POSED}, {@code SKIPPED_STALE}, {@code UNDECODABLE},
     * or {@link #NO_POSE}).
     *
     * @param frames          distinct frames
     * @param answered        frames with at least one PoseFrame and one PoseEvent
     * @param missingEvents   frames without a PoseEvent
     * @param duplicatePoses  PoseFrames beyond the first per frame
     * @param duplicateEvents PoseEvents beyond the first per frame
     */
    public record StatusRow(
            String status, int frames, int answered, int missingEvents, int duplicatePoses, int duplicateEvents) {
        /** Frames without a PoseFrame: all of them in the {@link #NO_POSE} row, none in the others. */
        public int missingPoses() {
            return status.equals(NO_POSE) ? frames : 0;
        }
    }

    /**
     * One camera's audit.
     *
     * @param rows            by PoseFrame status
     * @param seqGaps         seqs of an ingest run that never reached the frame topic (ingest counts these drops)
     * @param duplicateFrames frame records beyond the first of the same (camera, seq, capture time)
     * @param examples        a few frames that were not answered exactly once, for a first look
     */
    public record CameraAudit(
            String camera, List<StatusRow> rows, int seqGaps, int duplicateFrames, List<String> examples) {
        public CameraAudit {
            rows = List.copyOf(rows);
            examples = List.copyOf(examples);
        }

        public int frames() {
            return rows.stream().mapToInt(StatusRow::frames).sum();
        }

        /** Frames lacking a PoseFrame or a PoseEvent. */
        public int missing() {
            return rows.stream()
                    .mapToInt(r -> Math.max(r.missingPoses(), r.missingEvents()))
                    .sum();
        }

        /** Answers (and frame records) beyond the first. */
        public int duplicated() {
            return duplicateFrames
                    + rows.stream()
                            .mapToInt(r -> Math.max(r.duplicatePoses(), r.duplicateEvents()))
                            .sum();
        }

        public boolean complete() {
            return missing() == 0 && duplicated() == 0;
        }
    }

    /** True when every frame of every camera was answered exactly once (seq gaps are ingest's counted drops). */
    public boolean complete() {
        return cameras.stream().allMatch(CameraAudit::complete);
    }

    public int frames() {
        return cameras.stream().mapToInt(CameraAudit::frames).sum();
    }

    public int missing() {
        return cameras.stream().mapToInt(CameraAudit::missing).sum();
    }

    public int duplicated() {
        return cameras.stream().mapToInt(CameraAudit::duplicated).sum();
    }

    public int seqGaps() {
        return cameras.stream().mapToInt(CameraAudit::seqGaps).sum();
    }

    /** Frames by PoseFrame status over all cameras. */
    public Map<String, Integer> statuses() {
        Map<String, Integer> all = new TreeMap<>();
        cameras.forEach(c -> c.rows().forEach(r -> all.merge(r.status(), r.frames(), Integer::sum)));
        return all;
    }

    /** A Markdown table, one row per camera and status, then the verdict and a few examples of what failed. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("| camera | status | frames | answered (pose frame + event) | missing pose frame | missing event | ")
                .append("duplicate pose frames | duplicate events |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (CameraAudit camera : cameras) {
            for (StatusRow row : camera.rows()) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %d | %d | %d | %d | %d |%n",
                        camera.camera(),
                        row.status(),
                        row.frames(),
                        row.answered(),
                        row.missingPoses(),
                        row.missingEvents(),
                        row.duplicatePoses(),
                        row.duplicateEvents()));
            }
            if (camera.seqGaps() > 0 || camera.duplicateFrames() > 0) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | seqs not delivered by ingest: %d; frame records duplicated: %d | | | | | | |%n",
                        camera.camera(),
                        camera.seqGaps(),
                        camera.duplicateFrames()));
            }
        }
        out.append('\n')
                .append(complete() ? "OK: every frame answered exactly once" : "GAP: frames missing or answered twice")
                .append(String.format(
                        Locale.ROOT,
                        " (%d frame(s) of %d camera(s), %d missing, %d duplicated, %d seq gap(s))%n",
                        frames(),
                        cameras.size(),
                        missing(),
                        duplicated(),
                        seqGaps()));
        List<String> examples = new ArrayList<>();
        cameras.forEach(c -> c.examples().forEach(e -> examples.add(c.camera() + " " + e)));
        examples.forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }
}
