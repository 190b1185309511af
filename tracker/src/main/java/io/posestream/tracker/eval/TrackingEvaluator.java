package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Assignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PoseTrack-style multi-person pose tracking evaluation. Each keypoint type is a separate multi-object tracking
 * problem (as PoseTrack's poseval does with py-motmetrics): a predicted joint can match a ground-truth joint of the
 * same type when it lies within {@code 0.5} head sizes (PCKh, see {@link HeadSize}); per frame, correspondences of
 * the previous frames are kept while still valid, the rest are assigned optimally on distance (CLEAR MOT), and a
 * ground-truth person matched to another predicted id than before counts an id switch. IDF1 uses the
 * identity-level matching of Ristani et al.: ground-truth and predicted ids are paired one-to-one to maximise the
 * joints they share within the threshold (IDTP), and {@code IDF1 = 2 IDTP / (GT joints + predicted joints)}.
 * Totals are sums over the keypoint types.
 */
public final class TrackingEvaluator {
    /** Match threshold in head sizes (PCKh@0.5). */
    public static final double THRESHOLD = 0.5;

    private final double jointScoreThreshold;

    /** @param jointScoreThreshold predicted keypoints scoring below this are treated as not predicted */
    public TrackingEvaluator(double jointScoreThreshold) {
        this.jointScoreThreshold = jointScoreThreshold;
    }

    private record GtJoint(long id, double x, double y, double head) {}

    private record PredJoint(long id, double x, double y) {}

    public TrackingEvaluation evaluate(PoseTrackData gt, PoseTrackData pred) {
        Map<Long, List<ObjectNode>> predByImage = new HashMap<>();
        Set<Long> gtImages = new HashSet<>();
        gt.videos().values().forEach(frames -> frames.forEach(f -> gtImages.add(f.imageId())));
        for (List<PoseTrackData.FrameRecord> frames : pred.videos().values()) {
            for (PoseTrackData.FrameRecord frame : frames) {
                if (!frame.annotations().isEmpty() && !gtImages.contains(frame.imageId())) {
                    throw new IllegalArgumentException(pred.source() + ": image " + frame.imageId()
                            + " has predictions but is not in the ground truth " + gt.source());
                }
                predByImage.put(frame.imageId(), frame.annotations());
            }
        }
        List<JointScores> joints = new ArrayList<>();
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            joints.add(new JointScores());
        }
        long personSwitches = 0;
        double minutes = 0;
        for (List<PoseTrackData.FrameRecord> video : gt.videos().values()) {
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                evaluateJoint(gt, pred, video, predByImage, k, joints.get(k));
            }
            personSwitches += personSwitches(gt, pred, video, predByImage);
            minutes += minutes(video);
        }
        JointScores total = new JointScores();
        joints.forEach(total::add);
        return new TrackingEvaluation(joints, total, personSwitches, minutes);
    }

    /** A video's length: first to last frame plus one mean frame interval. */
    private static double minutes(List<PoseTrackData.FrameRecord> video) {
        if (video.size() < 2) {
            return 0;
        }
        long first = video.get(0).timestampMs();
        long last = video.get(video.size() - 1).timestampMs();
        double interval = (double) (last - first) / (video.size() - 1);
        return (last - first + interval) / 60_000.0;
    }

    /**
     * ID switches of whole persons, CLEAR MOT style: a ground-truth person and a predicted one correspond in a frame
     * when at least half of the person's visible joints (and at least one) are predicted within the threshold by
     * that one predicted person; correspondences are kept while still valid, the rest assigned with maximum
     * cardinality then the most joints shared; a person matched to another predicted id than last time is one
     * switch (where the per-joint count would give up to 17).
     */
    private long personSwitches(
            PoseTrackData gt,
            PoseTrackData pred,
            List<PoseTrackData.FrameRecord> video,
            Map<Long, List<ObjectNode>> predByImage) {
        Map<Long, Long> lastMatch = new HashMap<>();
        long switches = 0;
        for (PoseTrackData.FrameRecord frame : video) {
            if (!frame.image().path("is_labeled").asBoolean(true)) {
                continue;
            }
            List<ObjectNode> truths = frame.annotations();
            List<ObjectNode> predicted = predByImage.getOrDefault(frame.imageId(), List.of());
            if (truths.isEmpty() || predicted.isEmpty()) {
                continue;
            }
            double[][] cost = new double[truths.size()][predicted.size()];
            long[] gtIds = new long[truths.size()];
            long[] predIds = new long[predicted.size()];
            for (int p = 0; p < predicted.size(); p++) {
                predIds[p] = trackId(predicted.get(p), pred.where(frame, p));
            }
            for (int g = 0; g < truths.size(); g++) {
                String where = gt.where(frame, g);
                gtIds[g] = trackId(truths.get(g), where);
                for (int p = 0; p < predicted.size(); p++) {
                    cost[g][p] = personCost(truths.get(g), where, predicted.get(p), pred.where(frame, p));
                }
            }
            boolean[] gtDone = new boolean[truths.size()];
            boolean[] predDone = new boolean[predicted.size()];
            for (int g = 0; g < truths.size(); g++) {
                Long previous = lastMatch.get(gtIds[g]);
                for (int p = 0; previous != null && p < predicted.size(); p++) {
                    if (!predDone[p] && predIds[p] == previous && !Double.isNaN(cost[g][p])) {
                        gtDone[g] = true;
                        predDone[p] = true;
                        break;
                    }
                }
            }
            List<Integer> gtLeft = new ArrayList<>();
            List<Integer> predLeft = new ArrayList<>();
            for (int g = 0; g < truths.size(); g++) {
                if (!gtDone[g]) {
                    gtLeft.add(g);
                }
            }
            for (int p = 0; p < predicted.size(); p++) {
                if (!predDone[p]) {
                    predLeft.add(p);
                }
            }
            if (gtLeft.isEmpty() || predLeft.isEmpty()) {
                continue;
            }
            double[][] left = new double[gtLeft.size()][predLeft.size()];
            for (int i = 0; i < gtLeft.size(); i++) {
                for (int j = 0; j < predLeft.size(); j++) {
                    left[i][j] = cost[gtLeft.get(i)][predLeft.get(j)];
                }
            }
            for (Assignment.Pair pair : Assignment.solveMaxCardinality(left)) {
                long g = gtIds[gtLeft.get(pair.row())];
                long p = predIds[predLeft.get(pair.column())];
                Long previous = lastMatch.put(g, p);
                if (previous != null && previous != p) {
                    switches++;
                }
            }
        }
        return switches;
    }

    /**
     * How far a predicted person is from showing a ground-truth one: {@code 1 -} the share of the person's visible
     * joints the prediction has within the threshold, or {@code NaN} when that is under half (or none): the
     * person-level correspondence of the ID switch count, also what labels a detection with the person it shows.
     */
    public double personCost(JsonNode truth, String truthWhere, JsonNode guess, String guessWhere) {
        JsonNode truthPoints = PoseTrackData.keypoints(truth, truthWhere);
        JsonNode guessPoints = PoseTrackData.keypoints(guess, guessWhere);
        double head = HeadSize.of(truth, truthWhere);
        int visible = 0;
        int shared = 0;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (truthPoints.get(3 * k + 2).asDouble() <= 0) {
                continue;
            }
            visible++;
            double score = guessPoints.get(3 * k + 2).asDouble();
            double d = Math.hypot(
                            truthPoints.get(3 * k).asDouble()
                                    - guessPoints.get(3 * k).asDouble(),
                            truthPoints.get(3 * k + 1).asDouble()
                                    - guessPoints.get(3 * k + 1).asDouble())
                    / head;
            if (score >= jointScoreThreshold && score > 0 && d <= THRESHOLD) {
                shared++;
            }
        }
        return shared > 0 && 2 * shared >= visible ? 1 - (double) shared / visible : Double.NaN;
    }

    private void evaluateJoint(
            PoseTrackData gt,
            PoseTrackData pred,
            List<PoseTrackData.FrameRecord> video,
            Map<Long, List<ObjectNode>> predByImage,
            int k,
            JointScores scores) {
        Map<Long, Long> lastMatch = new HashMap<>();
        Map<Long, Map<Long, Integer>> together = new LinkedHashMap<>();
        for (PoseTrackData.FrameRecord frame : video) {
            if (!frame.image().path("is_labeled").asBoolean(true)) {
                continue;
            }
            List<GtJoint> gts = new ArrayList<>();
            for (int a = 0; a < frame.annotations().size(); a++) {
                JsonNode annotation = frame.annotations().get(a);
                String where = gt.where(frame, a);
                JsonNode kp = PoseTrackData.keypoints(annotation, where);
                if (kp.get(3 * k + 2).asDouble() > 0) {
                    gts.add(new GtJoint(
                            trackId(annotation, where),
                            kp.get(3 * k).asDouble(),
                            kp.get(3 * k + 1).asDouble(),
                            HeadSize.of(annotation, where)));
                }
            }
            List<PredJoint> preds = new ArrayList<>();
            List<ObjectNode> predicted = predByImage.getOrDefault(frame.imageId(), List.of());
            for (int a = 0; a < predicted.size(); a++) {
                String where = pred.where(frame, a);
                JsonNode kp = PoseTrackData.keypoints(predicted.get(a), where);
                double score = kp.get(3 * k + 2).asDouble();
                if (score >= jointScoreThreshold && score > 0) {
                    preds.add(new PredJoint(
                            trackId(predicted.get(a), where),
                            kp.get(3 * k).asDouble(),
                            kp.get(3 * k + 1).asDouble()));
                }
            }
            scores.groundTruth += gts.size();
            scores.predictions += preds.size();
            double[][] dist = new double[gts.size()][preds.size()];
            for (int g = 0; g < gts.size(); g++) {
                for (int p = 0; p < preds.size(); p++) {
                    GtJoint o = gts.get(g);
                    PredJoint h = preds.get(p);
                    double d = Math.hypot(o.x - h.x, o.y - h.y) / o.head;
                    dist[g][p] = d <= THRESHOLD ? d : Double.NaN;
                    if (d <= THRESHOLD) {
                        together.computeIfAbsent(o.id, x -> new HashMap<>()).merge(h.id, 1, Integer::sum);
                    }
                }
            }
            matchFrame(gts, preds, dist, lastMatch, scores);
        }
        scores.idTruePositives += identityMatches(together);
    }

    /** One frame of CLEAR MOT for one joint type, as py-motmetrics' accumulator does it. */
    private static void matchFrame(
            List<GtJoint> gts, List<PredJoint> preds, double[][] dist, Map<Long, Long> lastMatch, JointScores scores) {
        boolean[] gtDone = new boolean[gts.size()];
        boolean[] predDone = new boolean[preds.size()];
        // Keep last frames' correspondences that are still within the threshold.
        for (int g = 0; g < gts.size(); g++) {
            Long previous = lastMatch.get(gts.get(g).id);
            if (previous == null) {
                continue;
            }
            for (int p = 0; p < preds.size(); p++) {
                if (!predDone[p] && preds.get(p).id == previous && !Double.isNaN(dist[g][p])) {
                    gtDone[g] = true;
                    predDone[p] = true;
                    scores.matches++;
                    scores.distanceSum += dist[g][p];
                    break;
                }
            }
        }
        List<Integer> gtLeft = new ArrayList<>();
        List<Integer> predLeft = new ArrayList<>();
        for (int g = 0; g < gts.size(); g++) {
            if (!gtDone[g]) {
                gtLeft.add(g);
            }
        }
        for (int p = 0; p < preds.size(); p++) {
            if (!predDone[p]) {
                predLeft.add(p);
            }
        }
        if (!gtLeft.isEmpty() && !predLeft.isEmpty()) {
            double[][] cost = new double[gtLeft.size()][predLeft.size()];
            for (int i = 0; i < gtLeft.size(); i++) {
                for (int j = 0; j < predLeft.size(); j++) {
                    cost[i][j] = dist[gtLeft.get(i)][predLeft.get(j)];
                }
            }
            // Maximum cardinality first, then least distance, as py-motmetrics does: a cost-limited assignment can
            // match fewer pairs than exist (one perfect match displacing two good ones), costing a miss and a false
            // positive exactly where people cross.
            for (Assignment.Pair pair : Assignment.solveMaxCardinality(cost)) {
                int g = gtLeft.get(pair.row());
                int p = predLeft.get(pair.column());
                gtDone[g] = true;
                predDone[p] = true;
                scores.matches++;
                scores.distanceSum += dist[g][p];
                Long previous = lastMatch.put(gts.get(g).id, preds.get(p).id);
                if (previous != null && previous != preds.get(p).id) {
                    scores.idSwitches++;
                }
            }
        }
        for (boolean done : gtDone) {
            if (!done) {
                scores.misses++;
            }
        }
        for (boolean done : predDone) {
            if (!done) {
                scores.falsePositives++;
            }
        }
    }

    /**
     * Largest number of joints (or detections) shared by a one-to-one pairing of ground-truth and predicted ids, given
     * how many each pair shares ({@code together}: ground-truth id to predicted id to count): IDF1's IDTP.
     */
    public static long identityMatches(Map<Long, Map<Long, Integer>> together) {
        if (together.isEmpty()) {
            return 0;
        }
        List<Long> gtIds = new ArrayList<>(together.keySet());
        List<Long> predIds = new ArrayList<>(together.values().stream()
                .flatMap(m -> m.keySet().stream())
                .distinct()
                .toList());
        double[][] cost = new double[gtIds.size()][predIds.size()];
        for (int g = 0; g < gtIds.size(); g++) {
            Map<Long, Integer> row = together.get(gtIds.get(g));
            for (int p = 0; p < predIds.size(); p++) {
                cost[g][p] = -row.getOrDefault(predIds.get(p), 0);
            }
        }
        long idtp = 0;
        for (Assignment.Pair pair : Assignment.solve(cost, 0)) {
            idtp += Math.round(-cost[pair.row()][pair.column()]);
        }
        return idtp;
    }

    private static long trackId(JsonNode annotation, String where) {
        JsonNode id = annotation.path("track_id");
        if (!id.canConvertToLong()) {
            throw new IllegalArgumentException(where + ": no numeric 'track_id'");
        }
        return id.asLong();
    }
}
