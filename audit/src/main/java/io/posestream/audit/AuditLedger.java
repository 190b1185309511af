package io.posestream.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides, from the records handed to it, whether every frame of a window was answered exactly once: one
 * {@code PoseFrame} and one {@code PoseEvent} per frame. No Kafka here; {@link TopicAudit} reads the topics.
 *
 * <p>A frame is known by its camera, its seq and its capture time: seq starts at 0 with each ingest run, so the
 * capture time (carried by every PoseFrame and PoseEvent) keeps two runs' frames apart. Answers to frames outside the
 * window are ignored. Within one ingest run, a seq that never reached the frame topic (ingest could not deliver it
 * and counted it) is a gap: reported, but not a missing answer.
 */
public final class AuditLedger {
    /** One frame: camera, seq and capture time (epoch milliseconds). */
    public record FrameKey(String camera, long seq, long captureMillis) {}

    private static final int EXAMPLES = 5;

    private final Map<FrameKey, Answers> frames = new HashMap<>();
    /** Frames per camera in topic order, for the seq gaps of each ingest run. */
    private final Map<String, List<FrameKey>> order = new TreeMap<>();

    private static final class Answers {
        int frameRecords;
        int poses;
        int events;
        String status;
    }

    /** A frame read from the frame topic inside the window (in partition order). */
    public void frame(String camera, long seq, long captureMillis) {
        FrameKey key = new FrameKey(camera, seq, captureMillis);
        Answers answers = frames.computeIfAbsent(key, k -> new Answers());
        answers.frameRecords++;
        if (answers.frameRecords == 1) {
            order.computeIfAbsent(camera, c -> new ArrayList<>()).add(key);
        }
    }

    /** A PoseFrame read from the pose topic, with its status ({@code POSED}, {@code SKIPPED_STALE}, ...). */
    public void pose(String camera, long seq, long captureMillis, String status) {
        Answers answers = frames.get(new FrameKey(camera, seq, captureMillis));
        if (answers != null) {
            answers.poses++;
            if (answers.status == null) {
                answers.status = status;
            }
        }
    }

    /** A PoseEvent read from the event topic. */
    public void event(String camera, long seq, long captureMillis) {
        Answers answers = frames.get(new FrameKey(camera, seq, captureMillis));
        if (answers != null) {
            answers.events++;
        }
    }

    /** The verdict over everything handed in so far. */
    public AuditReport report() {
        List<AuditReport.CameraAudit> cameras = new ArrayList<>();
        for (Map.Entry<String, List<FrameKey>> camera : order.entrySet()) {
            Map<String, int[]> rows = new TreeMap<>();
            int duplicateFrames = 0;
            List<String> examples = new ArrayList<>();
            for (FrameKey key : camera.getValue()) {
                Answers answers = frames.get(key);
                duplicateFrames += answers.frameRecords - 1;
                int[] row = rows.computeIfAbsent(
                        answers.status == null ? AuditReport.NO_POSE : answers.status, s -> new int[5]);
                row[0]++;
                row[1] += answers.events == 0 ? 1 : 0;
                row[2] += Math.max(0, answers.poses - 1);
                row[3] += Math.max(0, answers.events - 1);
                row[4] += answers.poses > 0 && answers.events > 0 ? 1 : 0;
                if ((answers.poses != 1 || answers.events != 1 || answers.frameRecords != 1)
                        && examples.size() < EXAMPLES) {
                    examples.add("seq " + key.seq() + ": " + answers.frameRecords + " frame record(s), " + answers.poses
                            + " pose frame(s), " + answers.events + " event(s)");
                }
            }
            List<AuditReport.StatusRow> statusRows = new ArrayList<>();
            rows.forEach(
                    (status, r) -> statusRows.add(new AuditReport.StatusRow(status, r[0], r[4], r[1], r[2], r[3])));
            cameras.add(new AuditReport.CameraAudit(
                    camera.getKey(), statusRows, seqGaps(camera.getValue()), duplicateFrames, examples));
        }
        return new AuditReport(cameras);
    }

    /**
     * Seqs skipped within each ingest run: consecutive frames of a run have consecutive seqs unless ingest could not
     * deliver some. A seq that goes back (or a capture time that does) starts a new run.
     */
    static int seqGaps(List<FrameKey> inTopicOrder) {
        int gaps = 0;
        FrameKey previous = null;
        for (FrameKey key : inTopicOrder) {
            if (previous != null && key.seq() > previous.seq() && key.captureMillis() >= previous.captureMillis()) {
                gaps += (int) (key.seq() - previous.seq() - 1);
            }
            previous = key;
        }
        return gaps;
    }
}
