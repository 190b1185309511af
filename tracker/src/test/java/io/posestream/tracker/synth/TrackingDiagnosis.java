package io.posestream.tracker.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackPhase;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.OfflineReplay;
import io.posestream.tracker.eval.PerfectAssociation;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluation;
import io.posestream.tracker.eval.TrackingEvaluator;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a scene's MOTA and IDF1 go (a development tool, not a test): runs the tracker on synthetic scenes, labels
 * every detection with the ground-truth person it shows (most of the person's visible joints within the evaluator's
 * threshold; clutter and false positives show no one) and scores, besides the tracker's output, the same reported
 * detections with their true ids (what identity errors cost), every person detection with its true id (the
 * detector's ceiling) and the tracker's output with its tentative matches added (what waiting for confirmation
 * costs). Counts per person detection what became of it.
 *
 * <p>{@code java ... TrackingDiagnosis SEEDS SCENARIO[,SCENARIO...] [tracker.KEY=VALUE ...]}, SEEDS like
 * {@code 1-3} or {@code 1001-1005}.
 */
public final class TrackingDiagnosis {
    private static final String TRACE = System.getProperty("trace");
    private static final TrackingEvaluator EVALUATOR = new TrackingEvaluator(QualityComparison.JOINT_SCORE_THRESHOLD);
    private static final PerfectAssociation PERFECT = new PerfectAssociation(EVALUATOR);

    private TrackingDiagnosis() {}

    public static void main(String[] args) {
        String[] range = args[0].split("-");
        long from = Long.parseLong(range[0]);
        long to = range.length > 1 ? Long.parseLong(range[1]) : from;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        TrackerConfig config = TrackerAppConfig.trackerConfig(settings);
        boolean verbose = Boolean.getBoolean("verbose");
        System.out.printf(
                "%-18s | %5s %5s | %5s %5s | %5s %5s | %5s %5s | %5s | %6s %6s %6s %6s %6s %6s | %5s %5s %5s %5s%n",
                "scenario",
                "MOTA",
                "IDF1",
                "idMOTA",
                "idIDF1",
                "ceilMOTA",
                "ceilIDF1",
                "+tentMOTA",
                "+tentIDF1",
                "IDSW/m",
                "det",
                "rep%",
                "tent%",
                "born%",
                "lowsc%",
                "unm%",
                "fpRep",
                "frag",
                "sw",
                "ids/p");
        for (String name : args[1].split(",")) {
            Scenario scenario = Scenario.byName(name);
            double[] sums = new double[10];
            long[] counts = new long[10];
            double minutes = 0;
            long personSwitches = 0;
            for (long seed = from; seed <= to; seed++) {
                SceneGenerator.Scene scene = new SceneGenerator(scenario, seed).generate();
                Result r = diagnose(scene, config, counts, verbose);
                sums[0] += r.tracker.mota();
                sums[1] += r.tracker.idf1();
                sums[2] += r.trueIds.mota();
                sums[3] += r.trueIds.idf1();
                sums[4] += r.ceiling.mota();
                sums[5] += r.ceiling.idf1();
                sums[6] += r.withTentative.mota();
                sums[7] += r.withTentative.idf1();
                minutes += r.tracker.minutes();
                personSwitches += r.tracker.personIdSwitches();
            }
            int n = (int) (to - from + 1);
            double det = counts[0];
            System.out.printf(
                    "%-18s | %5.1f %5.1f | %5.1f %5.1f | %5.1f %5.1f | %5.1f %5.1f | %5.2f | %6d %6.1f %6.1f %6.1f %6.1f %6.1f | %5d %5d %5d %5.2f%n",
                    name,
                    sums[0] / n,
                    sums[1] / n,
                    sums[2] / n,
                    sums[3] / n,
                    sums[4] / n,
                    sums[5] / n,
                    sums[6] / n,
                    sums[7] / n,
                    personSwitches / minutes,
                    counts[0],
                    100 * counts[1] / det,
                    100 * counts[2] / det,
                    100 * counts[3] / det,
                    100 * counts[4] / det,
                    100 * counts[5] / det,
                    counts[6],
                    counts[7],
                    counts[8],
                    counts[9] == 0 ? 0 : (double) counts[7] / counts[9] + 1);
        }
        System.out.println(
                "MOTA/IDF1: tracker (offline replay, as bench tracker); id*: the tracker's reported (matched, confirmed) detections with their true ids; ceil*: "
                        + "every person detection with its true id; +tent*: the tracker with its tentative matches reported. "
                        + "det: person detections; rep%: reported (confirmed); tent%: matched to a tentative track; born%: "
                        + "started a track; lowsc%: below the low score; unm%: other, unmatched; fpRep: reported non-person "
                        + "detections; frag: tracks born on a person who had a track before (a new id); sw: a reported "
                        + "detection whose track showed another person before; ids/p: ids per person with a reported id.");
    }

    private record Result(
            TrackingEvaluation tracker,
            TrackingEvaluation trueIds,
            TrackingEvaluation ceiling,
            TrackingEvaluation withTentative) {}

    /**
     * counts: 0 person detections, 1 reported, 2 matched tentative, 3 born, 4 below the low score, 5 unmatched other,
     * 6 reported non-person, 7 fragments, 8 reported with a track that showed another person before, 9 persons.
     */
    private static Result diagnose(SceneGenerator.Scene scene, TrackerConfig config, long[] counts, boolean verbose) {
        PoseTrackData gt = scene.groundTruth();
        PoseTrackData det = scene.detections();
        Map<Long, List<ObjectNode>> gtByImage = new HashMap<>();
        gt.videos().values().forEach(frames -> frames.forEach(f -> gtByImage.put(f.imageId(), f.annotations())));
        List<ObjectNode> reported = new ArrayList<>();
        List<ObjectNode> reportedTrue = new ArrayList<>();
        List<ObjectNode> withTentative = new ArrayList<>();
        long fakeId = -1;
        Map<Long, Long> trackPerson = new HashMap<>();
        Map<Long, Set<Long>> personTracks = new HashMap<>();
        Set<Long> personsSeen = new HashSet<>();
        Map<Long, Long> removedAt = new HashMap<>();
        for (List<PoseTrackData.FrameRecord> video : det.videos().values()) {
            PoseTracker tracker = new PoseTracker(config);
            for (PoseTrackData.FrameRecord frame : video) {
                List<ObjectNode> truths = gtByImage.getOrDefault(frame.imageId(), List.of());
                long[] person = PERFECT.label(frame.annotations(), truths);
                List<Pose> poses = new ArrayList<>();
                for (int a = 0; a < frame.annotations().size(); a++) {
                    poses.add(PoseTrackData.pose(frame.annotations().get(a), det.where(frame, a)));
                }
                double reference = tracker.referenceScore();
                String[] probes = new String[poses.size()];
                if (verbose) {
                    for (int d = 0; d < poses.size(); d++) {
                        probes[d] = io.posestream.tracker.core.SimilarityProbe.explain(
                                tracker, frame.timestampMs(), poses.get(d));
                    }
                }
                List<TrackedPose> out = tracker.update(frame.timestampMs(), poses);
                reference = tracker.referenceScore();
                TrackedPose[] byDetection = new TrackedPose[poses.size()];
                for (TrackedPose t : out) {
                    if (t.phase() == TrackPhase.REMOVED) {
                        removedAt.put(t.trackId(), frame.timestampMs());
                    }
                    if (t.matched()) {
                        byDetection[t.detection()] = t;
                    }
                }
                for (TrackedPose t : out) {
                    if (TRACE != null
                            && det.source().startsWith(TRACE.split(":")[0] + " ")
                            && Long.parseLong(TRACE.split(":")[1]) == t.trackId()) {
                        System.out.printf(
                                "    trace t=%d %s det=%d person=%d score=%.2f boxh=%.0f %s%n",
                                frame.timestampMs(),
                                t.phase(),
                                t.detection(),
                                t.matched() ? person[t.detection()] : -9,
                                t.pose().personScore(),
                                t.pose().box().height(),
                                tracker.tracks().stream()
                                        .filter(x -> x.id() == t.trackId())
                                        .map(x -> io.posestream.tracker.core.SimilarityProbe.state(x))
                                        .findFirst()
                                        .orElse(""));
                    }
                }
                for (int d = 0; d < poses.size(); d++) {
                    ObjectNode annotation = frame.annotations().get(d);
                    long p = person[d];
                    TrackedPose t = byDetection[d];
                    if (p >= 0) {
                        counts[0]++;
                        if (t == null) {
                            counts[poses.get(d).personScore() < config.lowScore() * reference ? 4 : 5]++;
                        } else if (t.age() == 1) {
                            counts[3]++;
                        } else if (t.phase() != TrackPhase.CONFIRMED) {
                            counts[2]++;
                        }
                    }
                    if (t == null) {
                        continue;
                    }
                    if (p >= 0) {
                        Set<Long> tracks = personTracks.computeIfAbsent(p, x -> new HashSet<>());
                        if (t.age() == 1 && !tracks.isEmpty()) {
                            counts[7]++;
                            if (verbose) {
                                StringBuilder why = new StringBuilder();
                                for (long old : tracks) {
                                    why.append(" old ").append(old).append(':');
                                    tracker.tracks().stream()
                                            .filter(x -> x.id() == old)
                                            .findFirst()
                                            .ifPresentOrElse(
                                                    x -> why.append(x.phase())
                                                            .append(" seen ")
                                                            .append(frame.timestampMs() - x.lastSeenMs())
                                                            .append("ms ago"),
                                                    () -> why.append("gone, removed at ")
                                                            .append(removedAt.get(old)));
                                    why.append(" shows ").append(trackPerson.get(old));
                                }
                                System.out.printf(
                                        "  %s t=%d person %d new track %d score %.2f (ref %.2f);%s%n    probe:%s%n",
                                        det.source(),
                                        frame.timestampMs(),
                                        p,
                                        t.trackId(),
                                        poses.get(d).personScore(),
                                        reference,
                                        why,
                                        probes[d]);
                            }
                        }
                        if (t.age() == 1) {
                            tracks.add(t.trackId());
                        }
                    }
                    ObjectNode published = annotation.deepCopy().put("track_id", t.trackId());
                    var keypoints = published.putArray("keypoints");
                    for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                        keypoints
                                .add(t.smoothed().x(k))
                                .add(t.smoothed().y(k))
                                .add(t.smoothed().score(k));
                    }
                    withTentative.add(published);
                    if (t.phase() == TrackPhase.CONFIRMED) {
                        reported.add(published);
                        reportedTrue.add(published.deepCopy().put("track_id", p >= 0 ? p : fakeId--));
                        if (p >= 0) {
                            counts[1]++;
                            personsSeen.add(p);
                            Long before = trackPerson.put(t.trackId(), p);
                            if (before != null && before != p) {
                                counts[8]++;
                                if (verbose) {
                                    System.out.printf(
                                            "  %s t=%d track %d: person %d -> %d%n    probe:%s%n",
                                            det.source(), frame.timestampMs(), t.trackId(), before, p, probes[d]);
                                }
                            }
                        } else {
                            counts[6]++;
                            if (Boolean.getBoolean("fp")) {
                                System.out.printf(
                                        "  %s t=%d fp reported: track %d (shows %s) score %.2f box h %.0f at %.0f,%.0f%n",
                                        det.source(),
                                        frame.timestampMs(),
                                        t.trackId(),
                                        trackPerson.get(t.trackId()),
                                        poses.get(d).personScore(),
                                        poses.get(d).box().height(),
                                        poses.get(d).box().centreX(),
                                        poses.get(d).box().centreY());
                            }
                        }
                    }
                }
            }
        }
        counts[9] += personsSeen.size();
        return new Result(
                EVALUATOR.evaluate(gt, OfflineReplay.run(det, () -> new PoseTracker(config), SceneGenerator.FPS)),
                EVALUATOR.evaluate(gt, det.withAnnotations(reportedTrue, SceneGenerator.FPS)),
                EVALUATOR.evaluate(gt, PERFECT.of(gt, det, SceneGenerator.FPS)),
                EVALUATOR.evaluate(gt, det.withAnnotations(withTentative, SceneGenerator.FPS)));
    }
}
