package io.posestream.tracker.eval;

import io.posestream.schemas.CocoKeypoints;
import java.io.PrintStream;
import java.util.List;

/**
 * The result of {@link TrackingEvaluator}: scores per COCO keypoint and in total, and ID switches of whole persons.
 *
 * @param personIdSwitches ID switches counted per person rather than per joint
 * @param minutes          length of the evaluated videos, for switches per minute
 */
public record TrackingEvaluation(List<JointScores> joints, JointScores total, long personIdSwitches, double minutes) {

    public double mota() {
        return total.mota();
    }

    public double idf1() {
        return total.idf1();
    }

    public long idSwitches() {
        return total.idSwitches();
    }

    /** Person ID switches per minute of video (0 for a video shorter than two frames). */
    public double personIdSwitchesPerMinute() {
        return minutes > 0 ? personIdSwitches / minutes : 0;
    }

    /** Prints the per-joint table; the last two lines are {@code MOTA: x} and {@code IDF1: y}. */
    public void print(PrintStream out) {
        out.printf(
                "| %-14s | %7s | %7s | %7s | %7s | %6s | %7s | %7s |%n",
                "joint", "MOTA", "MOTP", "Prec", "Rec", "IDSW", "IDF1", "GT");
        out.println("|" + "-".repeat(16) + "|---------|---------|---------|---------|--------|---------|---------|");
        for (int k = 0; k < joints.size(); k++) {
            row(out, CocoKeypoints.NAMES.get(k), joints.get(k));
        }
        row(out, "total", total);
        out.printf(
                "MOTP: %.1f%nPrecision: %.1f%nRecall: %.1f%nID switches: %d (joints), %d (persons, %.2f per minute)%n",
                total.motp(),
                total.precision(),
                total.recall(),
                total.idSwitches(),
                personIdSwitches,
                personIdSwitchesPerMinute());
        out.printf("MOTA: %.1f%nIDF1: %.1f%n", total.mota(), total.idf1());
    }

    private static void row(PrintStream out, String name, JointScores s) {
        out.printf(
                "| %-14s | %7.1f | %7.1f | %7.1f | %7.1f | %6d | %7.1f | %7d |%n",
                name, s.mota(), s.motp(), s.precision(), s.recall(), s.idSwitches(), s.idf1(), s.groundTruth());
    }
}
