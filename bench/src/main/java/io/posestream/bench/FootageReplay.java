package io.posestream.bench;

import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.dashboard.TrackFigures;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackPhase;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.eval.TrackingEvaluator;
import io.posestream.tracker.synth.PosedTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tracker replayed over real detections as a loaded worker would pose them (fewer frames a second, at irregular
 * intervals, {@link PosedTimes}): the dashboard's tracking figures (the same {@link TrackFigures} the live page
 * shows), and what keypoint smoothing does: frame-to-frame jitter of people standing still, and the lag it adds on
 * people walking.
 */
final class FootageReplay {
    private static final double KEYPOINT_THRESHOLD = 0.3;
    /** Still: the torso moved less than this many body heights a second (over a second around the frame). */
    private static final double STILL = 0.1;
    /** Walking: faster than this. */
    private static final double WALKING = 0.4;

    /** One detection: its frame's image id and its index in the frame. */
    record Detection(long imageId, int index) {}

    /** Jitter and lag of the published keypoints against the detected ones. */
    record Smoothing(
            double rawJitter,
            double publishedJitter,
            double rawJitterMedian,
            double publishedJitterMedian,
            int stillPairs,
            double bodyLagMs,
            double limbLagMs,
            int walkingFrames) {}

    private FootageReplay() {}

    /** The frames a worker posing {@code rate} frames a second would have posed ({@code rate >= fps}: all). */
    static List<PoseTrackData.FrameRecord> posed(List<PoseTrackData.FrameRecord> frames, double rate, long seed) {
        long first = frames.get(0).timestampMs();
        long last = frames.get(frames.size() - 1).timestampMs();
        double fps = 1000.0 * (frames.size() - 1) / Math.max(1, last - first);
        if (rate >= fps) {
            return frames;
        }
        TreeMap<Long, PoseTrackData.FrameRecord> byTime = new TreeMap<>();
        frames.forEach(f -> byTime.put(f.timestampMs() - first, f));
        List<PoseTrackData.FrameRecord> out = new ArrayList<>();
        for (double t : PosedTimes.irregular(new Random(seed), rate, 0.6, 0.1, (last - first) / 1000.0)) {
            var at = byTime.floorEntry(Math.round(t * 1000));
            if (at != null && (out.isEmpty() || out.get(out.size() - 1) != at.getValue())) {
                out.add(at.getValue());
            }
        }
        return out;
    }

    /** One replay of the tracker: the dashboard's tracking figures and the track id of each confirmed match. */
    record Replay(TrackFigures.Snapshot figures, Map<Detection, Long> identities) {}

    /** Replays {@code frames} once through a new tracker. */
    static Replay replay(PoseTrackData data, List<PoseTrackData.FrameRecord> frames, TrackerConfig config) {
        long span = frames.get(frames.size() - 1).timestampMs() - frames.get(0).timestampMs();
        TrackFigures figures = new TrackFigures(span + 1);
        Map<Detection, Long> ids = new HashMap<>();
        PoseTracker tracker = new PoseTracker(config);
        for (PoseTrackData.FrameRecord frame : frames) {
            List<TrackedPose> tracks = tracker.update(frame.timestampMs(), poses(data, frame));
            figures.observe(event(frame.timestampMs(), tracks));
            for (TrackedPose t : tracks) {
                if (t.matched() && t.phase() == TrackPhase.CONFIRMED) {
                    ids.put(new Detection(frame.imageId(), t.detection()), t.trackId());
                }
            }
        }
        // Tracks still alive at the end of the video end there.
        List<TrackedPose> ending = new ArrayList<>();
        for (var track : tracker.tracks()) {
            ending.add(new TrackedPose(track.id(), TrackPhase.REMOVED, track.pose(), track.pose(), 0, 0, 0, -1));
        }
        figures.observe(event(frames.get(frames.size() - 1).timestampMs(), ending));
        return new Replay(figures.snapshot(), ids);
    }

    /**
     * How far a replay of fewer frames ({@code posed}) keeps the identities of the replay of every frame
     * ({@code reference}, where people move little between frames and association is easiest), as IDF1 in percent:
     * over the detections of the posed frames that either replay put in a confirmed track, the two replays' ids
     * are paired one-to-one to share the most detections ({@link TrackingEvaluator#identityMatches}), and IDF1 =
     * 2 shared / (reference's detections + replay's detections). No ground truth: the full-rate tracks have errors
     * of their own, so 100 is not reachable, but a change that keeps people's ids at low posed rates raises it.
     */
    static double agreement(
            Map<Detection, Long> reference, Map<Detection, Long> replay, List<PoseTrackData.FrameRecord> posed) {
        Set<Long> images = new HashSet<>();
        posed.forEach(f -> images.add(f.imageId()));
        Map<Long, Map<Long, Integer>> together = new HashMap<>();
        long referenceCount = 0;
        for (Map.Entry<Detection, Long> e : reference.entrySet()) {
            if (images.contains(e.getKey().imageId())) {
                referenceCount++;
                Long id = replay.get(e.getKey());
                if (id != null) {
                    together.computeIfAbsent(e.getValue(), k -> new HashMap<>()).merge(id, 1, Integer::sum);
                }
            }
        }
        long total = referenceCount + replay.size();
        return total == 0 ? Double.NaN : 100.0 * 2 * TrackingEvaluator.identityMatches(together) / total;
    }

    /** Jitter of still people and lag on walking ones, published keypoints against detected ones. */
    static Smoothing smoothing(PoseTrackData data, List<PoseTrackData.FrameRecord> frames, TrackerConfig config) {
        PoseTracker tracker = new PoseTracker(config);
        Map<Long, TreeMap<Long, Pose[]>> tracks = new HashMap<>();
        for (PoseTrackData.FrameRecord frame : frames) {
            for (TrackedPose t : tracker.update(frame.timestampMs(), poses(data, frame))) {
                if (t.matched() && t.phase() == TrackPhase.CONFIRMED) {
                    tracks.computeIfAbsent(t.trackId(), k -> new TreeMap<>())
                            .put(frame.timestampMs(), new Pose[] {t.pose(), t.smoothed()});
                }
            }
        }
        List<Double> raw = new ArrayList<>();
        List<Double> published = new ArrayList<>();
        double bodyLag = 0;
        double limbLagWeighted = 0;
        int walking = 0;
        for (TreeMap<Long, Pose[]> track : tracks.values()) {
            Long previous = null;
            for (long t : track.keySet()) {
                double speed = speed(track, t);
                Pose[] now = track.get(t);
                if (previous != null && t - previous <= 1000 && speed >= 0 && speed < STILL) {
                    Pose[] before = track.get(previous);
                    double h = Math.max(1, now[0].box().height());
                    double r = displacement(before[0], now[0]) / h;
                    double p = displacement(before[1], now[1]) / h;
                    if (r >= 0) {
                        raw.add(r);
                        published.add(p);
                    }
                }
                if (speed > WALKING) {
                    double lag = alongTrackLagMs(track, t, speed);
                    if (!Double.isNaN(lag)) {
                        bodyLag += lag;
                        walking++;
                    }
                }
                previous = t;
            }
            limbLagWeighted += limbLagMs(track) * track.size();
        }
        int frameCount = tracks.values().stream().mapToInt(TreeMap::size).sum();
        return new Smoothing(
                mean(raw),
                mean(published),
                FootageStatistics.Quantiles.of(raw).p50(),
                FootageStatistics.Quantiles.of(published).p50(),
                raw.size(),
                walking == 0 ? Double.NaN : bodyLag / walking,
                frameCount == 0 ? Double.NaN : limbLagWeighted / frameCount,
                walking);
    }

    private static List<Pose> poses(PoseTrackData data, PoseTrackData.FrameRecord frame) {
        List<Pose> poses = new ArrayList<>();
        for (int a = 0; a < frame.annotations().size(); a++) {
            poses.add(PoseTrackData.pose(frame.annotations().get(a), data.where(frame, a)));
        }
        return poses;
    }

    /** A pose event carrying what the tracking figures read: ids and states. */
    private static PoseEvent event(long timeMs, List<TrackedPose> tracks) {
        List<TrackedPerson> persons = new ArrayList<>();
        for (TrackedPose t : tracks) {
            persons.add(TrackedPerson.newBuilder()
                    .setTrackId(t.trackId())
                    .setState(TrackState.valueOf(t.phase().name()))
                    .setBox(new Box(0f, 0f, 0f, 0f))
                    .setScore(0f)
                    .setKeypoints(List.of())
                    .setVelocity(new Velocity(0f, 0f))
                    .setAge(t.age())
                    .build());
        }
        return PoseEvent.newBuilder()
                .setCameraId("replay")
                .setSeq(timeMs)
                .setCaptureTime(Instant.ofEpochMilli(timeMs))
                .setWidth(0)
                .setHeight(0)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(persons)
                .build();
    }

    /** Speed of the detected torso over about a second around {@code t}, body heights/s; -1 when unknown. */
    private static double speed(TreeMap<Long, Pose[]> track, long t) {
        Long lo = track.floorKey(t - 500);
        Long hi = track.ceilingKey(t + 500);
        if (lo == null || hi == null || hi - lo > 2000) {
            return -1;
        }
        double[] a = centre(track.get(lo)[0]);
        double[] b = centre(track.get(hi)[0]);
        if (a == null || b == null) {
            return -1;
        }
        double h = Math.max(1, track.get(t)[0].box().height());
        return Math.hypot(b[0] - a[0], b[1] - a[1]) / h / ((hi - lo) / 1000.0);
    }

    /** Mean distance the confident joints moved between two poses, pixels; -1 when none is confident in both. */
    private static double displacement(Pose a, Pose b) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < 17; k++) {
            if (a.score(k) >= KEYPOINT_THRESHOLD && b.score(k) >= KEYPOINT_THRESHOLD) {
                sum += Math.hypot(b.x(k) - a.x(k), b.y(k) - a.y(k));
                n++;
            }
        }
        return n == 0 ? -1 : sum / n;
    }

    /**
     * How far behind the detected pose the published one is drawn along the walking direction, as time: the mean
     * along-track offset of the confident joints over the speed.
     */
    private static double alongTrackLagMs(TreeMap<Long, Pose[]> track, long t, double speed) {
        Long lo = track.floorKey(t - 500);
        Long hi = track.ceilingKey(t + 500);
        double[] a = centre(track.get(lo)[0]);
        double[] b = centre(track.get(hi)[0]);
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double norm = Math.hypot(dx, dy);
        Pose[] now = track.get(t);
        double offset = 0;
        int n = 0;
        for (int k = 0; k < 17; k++) {
            if (now[0].score(k) >= KEYPOINT_THRESHOLD) {
                offset += ((now[0].x(k) - now[1].x(k)) * dx + (now[0].y(k) - now[1].y(k)) * dy) / norm;
                n++;
            }
        }
        double h = Math.max(1, now[0].box().height());
        return n == 0 ? Double.NaN : offset / n / (speed * h) * 1000;
    }

    /**
     * Delay of the published limbs (wrists, ankles) relative to the body: the shift, in 10 ms steps up to 500 ms,
     * that best lines the published offsets from the torso up with the detected ones interpolated that much earlier.
     */
    private static double limbLagMs(TreeMap<Long, Pose[]> track) {
        int[] limbs = {9, 10, 15, 16};
        double best = Double.MAX_VALUE;
        int bestShift = 0;
        for (int shift = 0; shift <= 500; shift += 10) {
            double error = 0;
            int n = 0;
            for (long t : track.keySet()) {
                Long lo = track.floorKey(t - shift);
                Long hi = track.ceilingKey(t - shift);
                if (lo == null || hi == null || hi - lo > 300) {
                    continue;
                }
                Pose[] now = track.get(t);
                double[] c = centre(now[0]);
                double[] ca = centre(track.get(lo)[0]);
                double[] cb = centre(track.get(hi)[0]);
                if (c == null || ca == null || cb == null) {
                    continue;
                }
                double w = hi.equals(lo) ? 0 : (t - shift - lo) / (double) (hi - lo);
                for (int k : limbs) {
                    Pose a = track.get(lo)[0];
                    Pose b = track.get(hi)[0];
                    if (now[0].score(k) < KEYPOINT_THRESHOLD
                            || a.score(k) < KEYPOINT_THRESHOLD
                            || b.score(k) < KEYPOINT_THRESHOLD) {
                        continue;
                    }
                    double rx = (1 - w) * (a.x(k) - ca[0]) + w * (b.x(k) - cb[0]);
                    double ry = (1 - w) * (a.y(k) - ca[1]) + w * (b.y(k) - cb[1]);
                    double px = now[1].x(k) - c[0];
                    double py = now[1].y(k) - c[1];
                    error += (px - rx) * (px - rx) + (py - ry) * (py - ry);
                    n++;
                }
            }
            if (n > 0 && error / n < best) {
                best = error / n;
                bestShift = shift;
            }
        }
        return bestShift;
    }

    private static double[] centre(Pose pose) {
        double x = 0;
        double y = 0;
        int n = 0;
        for (int k : new int[] {5, 6, 11, 12}) {
            if (pose.score(k) >= KEYPOINT_THRESHOLD) {
                x += pose.x(k);
                y += pose.y(k);
                n++;
            }
        }
        return n < 3 ? null : new double[] {x / n, y / n};
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
