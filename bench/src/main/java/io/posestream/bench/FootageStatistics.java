package io.posestream.bench;

import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.tracker.core.Bounds;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackPhase;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PoseTrackData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the detector and pose model give the tracker on real footage, measured without ground truth: the video's
 * detections are tracked at its full frame rate with the default tracker (smoothing off), where association is
 * easy, and its confirmed tracks serve as the people. Everything else is read against them: person sizes and
 * scores, the detections that are no one (clutter), keypoint noise from second differences along the tracks,
 * walking speeds and how they change, and how often a person is missed alone or behind a nearer one.
 */
final class FootageStatistics {
    /** Torso joints: shoulders and hips, whose own motion over a tenth of a second is negligible. */
    private static final int[] TORSO = {5, 6, 11, 12};

    private static final double KEYPOINT_THRESHOLD = 0.3;
    static final int CLOTHING_MIN_DETECTIONS = 10;

    /** Quantiles of a sample. */
    record Quantiles(double p5, double p10, double p25, double p50, double p75, double p90, double p95) {
        static Quantiles of(List<Double> values) {
            if (values.isEmpty()) {
                return new Quantiles(-1, -1, -1, -1, -1, -1, -1);
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return new Quantiles(
                    at(sorted, 0.05),
                    at(sorted, 0.10),
                    at(sorted, 0.25),
                    at(sorted, 0.50),
                    at(sorted, 0.75),
                    at(sorted, 0.90),
                    at(sorted, 0.95));
        }

        private static double at(List<Double> sorted, double q) {
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
        }
    }

    /**
     * The measured statistics.
     *
     * @param frames              frames of the video
     * @param tracks              confirmed tracks at the full frame rate (the people)
     * @param personDetections    detections in those tracks
     * @param otherDetections     detections in no confirmed track (clutter, fragments)
     * @param height              box heights of the people, pixels
     * @param personScore         person scores of the people
     * @param otherScore          person scores of the other detections
     * @param referenceScore      the 90th percentile of all person scores (the tracker's reference)
     * @param keypointScore       keypoint scores of the people
     * @param confidentKeypoints  share of the people's keypoints scoring 0.3 or more
     * @param torsoNoise          per-axis keypoint noise of the torso joints in body heights: second differences
     *                            as standard deviations (p50 gives the typical noise, p90/p95 the tail)
     * @param allNoise            the same over all joints (limb motion included)
     * @param speed               walking speed in body heights per second (over 1 s)
     * @param speedChange         change of velocity over one second, body heights per second
     * @param missRates           share of frames inside a person's track without a detection, by how much a nearer
     *                            person covers them: none, 5-25%, 25-50%, over 50% (people at the border excluded)
     * @param missFrames          frames counted in each of those
     * @param sameColours         colour similarity (mean Bhattacharyya coefficient, {@link AppearanceDescriptor}) of
     *                            a person's detections half a second apart
     * @param nearColours         the same between two people in one frame whose boxes' centres are less than a body
     *                            height apart (the pairs association must tell apart)
     * @param clothing            each person's mean descriptor, people with at least {@value #CLOTHING_MIN_DETECTIONS}
     *                            detections with colours (what the synthetic scenes dress people in)
     */
    record Result(
            int frames,
            int tracks,
            int personDetections,
            int otherDetections,
            Quantiles height,
            Quantiles personScore,
            Quantiles otherScore,
            double referenceScore,
            Quantiles keypointScore,
            double confidentKeypoints,
            Quantiles torsoNoise,
            Quantiles allNoise,
            Quantiles speed,
            Quantiles speedChange,
            double[] missRates,
            long[] missFrames,
            Quantiles sameColours,
            Quantiles nearColours,
            List<float[]> clothing) {}

    private FootageStatistics() {}

    static Result measure(PoseTrackData detections) {
        List<PoseTrackData.FrameRecord> frames =
                detections.videos().values().iterator().next();
        // Colours off: the people whose colours are measured must not have been found with their help.
        PoseTracker tracker = new PoseTracker(TrackerConfig.DEFAULTS.toBuilder()
                .smoothingMinCutoffHz(0)
                .appearanceWeight(0)
                .build());
        Map<Long, TreeMap<Integer, Pose>> tracks = new HashMap<>();
        Set<Long> confirmed = new HashSet<>();
        List<List<Pose>> all = new ArrayList<>();
        List<Double> allScores = new ArrayList<>();
        Set<String> inTracks = new HashSet<>();
        for (int f = 0; f < frames.size(); f++) {
            PoseTrackData.FrameRecord frame = frames.get(f);
            List<Pose> poses = new ArrayList<>();
            for (int a = 0; a < frame.annotations().size(); a++) {
                Pose pose = PoseTrackData.pose(frame.annotations().get(a), detections.where(frame, a));
                poses.add(pose);
                allScores.add(pose.personScore());
            }
            all.add(poses);
            for (TrackedPose t : tracker.update(frame.timestampMs(), poses)) {
                if (t.matched()) {
                    tracks.computeIfAbsent(t.trackId(), k -> new TreeMap<>()).put(f, t.pose());
                }
                if (t.phase() == TrackPhase.CONFIRMED) {
                    confirmed.add(t.trackId());
                }
            }
        }
        List<Double> heights = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Double> keypointScores = new ArrayList<>();
        long confident = 0;
        for (long id : confirmed) {
            for (var entry : tracks.get(id).entrySet()) {
                Pose p = entry.getValue();
                heights.add(p.box().height());
                scores.add(p.personScore());
                for (int k = 0; k < 17; k++) {
                    keypointScores.add(p.score(k));
                    confident += p.score(k) >= KEYPOINT_THRESHOLD ? 1 : 0;
                }
                inTracks.add(entry.getKey() + ":" + p.box());
            }
        }
        List<Double> otherScores = new ArrayList<>();
        for (int f = 0; f < all.size(); f++) {
            for (Pose p : all.get(f)) {
                if (!inTracks.contains(f + ":" + p.box())) {
                    otherScores.add(p.personScore());
                }
            }
        }
        List<Double> torso = new ArrayList<>();
        List<Double> joints = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        List<Double> changes = new ArrayList<>();
        double fps = frames.size() > 1
                ? 1000.0
                        * (frames.size() - 1)
                        / (frames.get(frames.size() - 1).timestampMs()
                                - frames.get(0).timestampMs())
                : 10;
        int second = (int) Math.round(fps);
        long[] covered = new long[4];
        long[] missed = new long[4];
        int width = frames.get(0).image().path("width").asInt(Integer.MAX_VALUE);
        int height = frames.get(0).image().path("height").asInt(Integer.MAX_VALUE);
        for (long id : confirmed) {
            TreeMap<Integer, Pose> m = tracks.get(id);
            for (int f : m.keySet()) {
                noise(m.get(f - 1), m.get(f), m.get(f + 1), torso, joints);
                motion(m.get(f - second / 2), m.get(f + second / 2), m.get(f + second + second / 2), speeds, changes);
            }
            for (int f = m.firstKey(); f <= m.lastKey(); f++) {
                Bounds box = interpolated(m, f);
                if (box.x1() < 5 || box.y1() < 5 || box.x2() > width - 5 || box.y2() > height - 5) {
                    continue;
                }
                double cover = 0;
                for (long other : confirmed) {
                    Pose o = other == id ? null : tracks.get(other).get(f);
                    if (o != null && o.box().y2() > box.y2()) {
                        cover = Math.max(cover, overlap(box, o.box()));
                    }
                }
                int bin = cover < 0.05 ? 0 : cover < 0.25 ? 1 : cover < 0.5 ? 2 : 3;
                covered[bin]++;
                missed[bin] += m.containsKey(f) ? 0 : 1;
            }
        }
        List<Double> sameColours = new ArrayList<>();
        List<Double> nearColours = new ArrayList<>();
        List<float[]> clothing = new ArrayList<>();
        for (long id : confirmed) {
            TreeMap<Integer, Pose> m = tracks.get(id);
            for (var entry : m.entrySet()) {
                Pose later = m.get(entry.getKey() + second / 2);
                addColours(entry.getValue(), later, sameColours);
                for (long other : confirmed) {
                    Pose o = other > id ? tracks.get(other).get(entry.getKey()) : null;
                    Bounds a = entry.getValue().box();
                    if (o != null
                            && Math.hypot(
                                            a.centreX() - o.box().centreX(),
                                            a.centreY() - o.box().centreY())
                                    < Math.max(a.height(), o.box().height())) {
                        addColours(entry.getValue(), o, nearColours);
                    }
                }
            }
            float[] mean = meanColours(m.values());
            if (mean != null) {
                clothing.add(mean);
            }
        }
        double[] rates = new double[4];
        for (int b = 0; b < 4; b++) {
            rates[b] = covered[b] == 0 ? -1 : (double) missed[b] / covered[b];
        }
        return new Result(
                frames.size(),
                confirmed.size(),
                heights.size(),
                otherScores.size(),
                Quantiles.of(heights),
                Quantiles.of(scores),
                Quantiles.of(otherScores),
                Quantiles.of(allScores).p90(),
                Quantiles.of(keypointScores),
                keypointScores.isEmpty() ? 0 : (double) confident / keypointScores.size(),
                Quantiles.of(torso),
                Quantiles.of(joints),
                Quantiles.of(speeds),
                Quantiles.of(changes),
                rates,
                covered,
                Quantiles.of(sameColours),
                Quantiles.of(nearColours),
                clothing);
    }

    private static void addColours(Pose a, Pose b, List<Double> out) {
        if (b != null) {
            double similarity = AppearanceDescriptor.similarity(a.appearance(), b.appearance());
            if (!Double.isNaN(similarity)) {
                out.add(similarity);
            }
        }
    }

    /** A person's mean descriptor, region by region over the detections that have it; null if too few have colours. */
    private static float[] meanColours(java.util.Collection<Pose> poses) {
        float[] sum = new float[AppearanceDescriptor.LENGTH];
        int[] count = new int[AppearanceDescriptor.REGIONS];
        int described = 0;
        for (Pose p : poses) {
            float[] d = p.appearance();
            if (d == null) {
                continue;
            }
            described++;
            for (int r = 0; r < AppearanceDescriptor.REGIONS; r++) {
                if (AppearanceDescriptor.present(d, r)) {
                    count[r]++;
                    for (int i = r * AppearanceDescriptor.BINS; i < (r + 1) * AppearanceDescriptor.BINS; i++) {
                        sum[i] += d[i];
                    }
                }
            }
        }
        if (described < CLOTHING_MIN_DETECTIONS) {
            return null;
        }
        for (int r = 0; r < AppearanceDescriptor.REGIONS; r++) {
            for (int i = r * AppearanceDescriptor.BINS; i < (r + 1) * AppearanceDescriptor.BINS; i++) {
                sum[i] = count[r] == 0 ? 0 : sum[i] / count[r];
            }
        }
        return sum;
    }

    /**
     * Second difference of each confident joint of three consecutive frames, as a per-axis standard deviation in
     * body heights: {@code e = p1 - (p0 + p2) / 2} has variance 1.5 sigma^2 per axis for white noise, and no part of
     * a steady walk.
     */
    private static void noise(Pose p0, Pose p1, Pose p2, List<Double> torso, List<Double> joints) {
        if (p0 == null || p1 == null || p2 == null) {
            return;
        }
        double h = Math.max(1, p1.box().height());
        for (int k = 0; k < 17; k++) {
            if (p0.score(k) < KEYPOINT_THRESHOLD
                    || p1.score(k) < KEYPOINT_THRESHOLD
                    || p2.score(k) < KEYPOINT_THRESHOLD) {
                continue;
            }
            double ex = p1.x(k) - (p0.x(k) + p2.x(k)) / 2;
            double ey = p1.y(k) - (p0.y(k) + p2.y(k)) / 2;
            double sd = Math.sqrt((ex * ex + ey * ey) / 2 / 1.5) / h;
            joints.add(sd);
            for (int t : TORSO) {
                if (t == k) {
                    torso.add(sd);
                }
            }
        }
    }

    /** Speed over the first second, and the change of velocity to the next second, from the torso centre. */
    private static void motion(Pose a, Pose b, Pose c, List<Double> speeds, List<Double> changes) {
        double[] ca = torsoCentre(a);
        double[] cb = torsoCentre(b);
        double[] cc = torsoCentre(c);
        if (ca == null || cb == null) {
            return;
        }
        double h = Math.max(1, b.box().height());
        double vx = (cb[0] - ca[0]) / h;
        double vy = (cb[1] - ca[1]) / h;
        speeds.add(Math.hypot(vx, vy));
        if (cc != null) {
            changes.add(Math.hypot((cc[0] - cb[0]) / h - vx, (cc[1] - cb[1]) / h - vy));
        }
    }

    private static double[] torsoCentre(Pose pose) {
        if (pose == null) {
            return null;
        }
        double x = 0;
        double y = 0;
        int n = 0;
        for (int k : TORSO) {
            if (pose.score(k) >= KEYPOINT_THRESHOLD) {
                x += pose.x(k);
                y += pose.y(k);
                n++;
            }
        }
        return n < 3 ? null : new double[] {x / n, y / n};
    }

    /** The track's box at frame {@code f}, interpolated between the matches around it. */
    private static Bounds interpolated(TreeMap<Integer, Pose> m, int f) {
        int lo = m.floorKey(f);
        int hi = m.ceilingKey(f);
        Bounds a = m.get(lo).box();
        Bounds b = m.get(hi).box();
        double w = hi == lo ? 0 : (f - lo) / (double) (hi - lo);
        return new Bounds(
                a.x1() + w * (b.x1() - a.x1()),
                a.y1() + w * (b.y1() - a.y1()),
                a.x2() + w * (b.x2() - a.x2()),
                a.y2() + w * (b.y2() - a.y2()));
    }

    /** Share of {@code box} covered by {@code other}. */
    private static double overlap(Bounds box, Bounds other) {
        double w = Math.min(box.x2(), other.x2()) - Math.max(box.x1(), other.x1());
        double h = Math.min(box.y2(), other.y2()) - Math.max(box.y1(), other.y1());
        return w > 0 && h > 0 && box.area() > 0 ? w * h / box.area() : 0;
    }
}
