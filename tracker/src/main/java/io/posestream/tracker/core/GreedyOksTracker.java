package io.posestream.tracker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The common toolkit baseline: each detection (from the score threshold up) takes the id of the most similar
 * person of the previous frame by OKS, greedily, best pair first, when OKS is at least the threshold (0.3);
 * otherwise it gets a new id. No motion model, no memory beyond one frame. The score threshold is the tracker's
 * new-track threshold, relative to the camera's reference score in the same way ({@link ScoreReference}), so
 * both start from the same detections.
 */
public final class GreedyOksTracker implements FrameTracker {
    private final double minOks;
    private final double scoreQuantile;
    private final double minScoreFraction;
    private final double keypointThreshold;
    private final ScoreReference scores = new ScoreReference();
    private List<TrackedPose> previous = List.of();
    private long nextId = 1;

    /** A baseline with the score and keypoint thresholds of {@code config}. */
    public GreedyOksTracker(double minOks, TrackerConfig config) {
        this.minOks = minOks;
        this.scoreQuantile = config.scoreQuantile();
        this.minScoreFraction = config.newTrackScore();
        this.keypointThreshold = config.keypointThreshold();
    }

    @Override
    public List<TrackedPose> update(long timeMs, List<Pose> detections) {
        scores.observe(detections.stream().mapToDouble(Pose::personScore).toArray());
        double minScore = minScoreFraction * scores.quantile(scoreQuantile);
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < detections.size(); d++) {
            if (detections.get(d).personScore() >= minScore) {
                kept.add(d);
            }
        }
        record Candidate(int prev, int det, double oks) {}
        List<Candidate> candidates = new ArrayList<>();
        for (int p = 0; p < previous.size(); p++) {
            Pose before = previous.get(p).pose();
            for (int d : kept) {
                double oks = Oks.between(before, detections.get(d), before.box().area(), keypointThreshold);
                if (oks >= minOks) {
                    candidates.add(new Candidate(p, d, oks));
                }
            }
        }
        candidates.sort((a, b) -> Double.compare(b.oks(), a.oks()));
        long[] ids = new long[detections.size()];
        boolean[] prevUsed = new boolean[previous.size()];
        for (Candidate c : candidates) {
            if (!prevUsed[c.prev()] && ids[c.det()] == 0) {
                prevUsed[c.prev()] = true;
                ids[c.det()] = previous.get(c.prev()).trackId();
            }
        }
        List<TrackedPose> out = new ArrayList<>();
        for (int d : kept) {
            long id = ids[d] != 0 ? ids[d] : nextId++;
            Pose pose = detections.get(d);
            out.add(new TrackedPose(id, TrackPhase.CONFIRMED, pose, pose, 0, 0, 0, d));
        }
        previous = out;
        return out;
    }

    @Override
    public boolean reported(TrackedPose track) {
        return track.matched();
    }
}
