package io.posestream.tracker.eval;

/**
 * Counts of one keypoint type (or their total) over a whole evaluation, and the metrics derived from them.
 * All metrics are percentages.
 */
public final class JointScores {
    long groundTruth;
    long predictions;
    long matches;
    long misses;
    long falsePositives;
    long idSwitches;
    double distanceSum;
    long idTruePositives;

    void add(JointScores other) {
        groundTruth += other.groundTruth;
        predictions += other.predictions;
        matches += other.matches;
        misses += other.misses;
        falsePositives += other.falsePositives;
        idSwitches += other.idSwitches;
        distanceSum += other.distanceSum;
        idTruePositives += other.idTruePositives;
    }

    /** 100 * (1 - (misses + false positives + id switches) / ground-truth joints). */
    public double mota() {
        return groundTruth == 0 ? 0 : 100.0 * (1 - (double) (misses + falsePositives + idSwitches) / groundTruth);
    }

    /** 100 * (1 - mean normalised distance of matched joints), the distance in head sizes. */
    public double motp() {
        return matches == 0 ? 0 : 100.0 * (1 - distanceSum / matches);
    }

    public double precision() {
        return matches + falsePositives == 0 ? 0 : 100.0 * matches / (matches + falsePositives);
    }

    public double recall() {
        return groundTruth == 0 ? 0 : 100.0 * matches / groundTruth;
    }

    /** 100 * 2 IDTP / (ground-truth joints + predicted joints). */
    public double idf1() {
        return groundTruth + predictions == 0 ? 0 : 100.0 * 2 * idTruePositives / (groundTruth + predictions);
    }

    public long idSwitches() {
        return idSwitches;
    }

    public long groundTruth() {
        return groundTruth;
    }

    public long matches() {
        return matches;
    }

    public long misses() {
        return misses;
    }

    public long falsePositives() {
        return falsePositives;
    }

    public long idTruePositives() {
        return idTruePositives;
    }
}
