package io.posestream.tracker.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Multi-person tracker of one camera. Per frame: predict every track with the motion model; first pass assigns
 * high-score detections to all live tracks (tentative, confirmed and lost) on {@code 1 - similarity}; a second
 * pass gives low-score detections to confirmed tracks still unmatched (ByteTrack's idea: a half-occluded person
 * scores low but is still there); unmatched tracks miss; unmatched confident detections start tentative tracks.
 * Similarity is OKS (COCO sigmas, the predicted box area as scale) blended with box IoU; a lost track is compared
 * at its predicted and at its last seen pose, whichever is more similar.
 */
public final class PoseTracker implements FrameTracker {
    private final TrackerConfig config;
    private final TrackLifecycle lifecycle;
    private final ConstantVelocityMotion motion;
    private final List<Track> tracks;
    private long nextId;

    public PoseTracker(TrackerConfig config) {
        this(config, 1, new ArrayList<>());
    }

    /** Restores a tracker from saved state (see {@link CameraStateCodec}). */
    PoseTracker(TrackerConfig config, long nextId, List<Track> tracks) {
        this.config = config;
        this.lifecycle = new TrackLifecycle(config);
        this.motion = new ConstantVelocityMotion(config);
        this.nextId = nextId;
        this.tracks = tracks;
    }

    public TrackerConfig config() {
        return config;
    }

    /** Live tracks (never REMOVED), by id. */
    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    /** The id the next new track gets. */
    public long nextId() {
        return nextId;
    }

    @Override
    public List<TrackedPose> update(long timeMs, List<Pose> detections) {
        // Lost tracks past their window go first, so a person returning after a gap without frames is not
        // matched to a track that has already expired.
        List<TrackedPose> out = advance(timeMs);
        int nTracks = tracks.size();
        Pose[] predicted = new Pose[nTracks];
        for (int t = 0; t < nTracks; t++) {
            predicted[t] = motion.predict(tracks.get(t), timeMs);
        }
        int[] trackToDet = new int[nTracks];
        Arrays.fill(trackToDet, -1);
        boolean[] detUsed = new boolean[detections.size()];

        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int d = 0; d < detections.size(); d++) {
            double score = detections.get(d).personScore();
            if (score >= config.highScore()) {
                high.add(d);
            } else if (score >= config.lowScore()) {
                low.add(d);
            }
        }
        List<Integer> allTracks = new ArrayList<>();
        for (int t = 0; t < nTracks; t++) {
            allTracks.add(t);
        }
        associate(allTracks, high, predicted, detections, config.minSimilarity(), trackToDet, detUsed);
        List<Integer> confirmedLeft = new ArrayList<>();
        for (int t = 0; t < nTracks; t++) {
            if (trackToDet[t] < 0 && tracks.get(t).phase == TrackPhase.CONFIRMED) {
                confirmedLeft.add(t);
            }
        }
        associate(confirmedLeft, low, predicted, detections, config.lowMinSimilarity(), trackToDet, detUsed);

        for (int t = 0; t < nTracks; t++) {
            Track track = tracks.get(t);
            track.age++;
            if (trackToDet[t] >= 0) {
                Pose matched = detections.get(trackToDet[t]);
                motion.observe(track, matched, timeMs);
                lifecycle.hit(track, matched, timeMs);
                out.add(new TrackedPose(track.id, track.phase, matched, track.vx, track.vy, track.age, trackToDet[t]));
            } else {
                lifecycle.miss(track, timeMs);
                if (track.phase == TrackPhase.LOST) {
                    out.add(new TrackedPose(track.id, track.phase, predicted[t], track.vx, track.vy, track.age, -1));
                } else if (track.phase == TrackPhase.REMOVED) {
                    out.add(removed(track));
                }
            }
        }
        tracks.removeIf(track -> track.phase == TrackPhase.REMOVED);
        for (int d : high) {
            if (!detUsed[d] && detections.get(d).personScore() >= config.newTrackScore()) {
                Track born = lifecycle.birth(nextId++, detections.get(d), timeMs);
                tracks.add(born);
                out.add(new TrackedPose(born.id, born.phase, born.pose, 0, 0, born.age, d));
            }
        }
        out.sort(Comparator.comparingLong(TrackedPose::trackId));
        return out;
    }

    /**
     * Time moved to {@code timeMs} without detections to match (a skipped frame): only expiry happens. Returns the
     * tracks removed now, each reported this once as REMOVED at its last seen pose; they are forgotten after.
     */
    public List<TrackedPose> advance(long timeMs) {
        List<TrackedPose> removed = new ArrayList<>();
        for (Track track : tracks) {
            lifecycle.expire(track, timeMs);
            if (track.phase == TrackPhase.REMOVED) {
                removed.add(removed(track));
            }
        }
        tracks.removeIf(track -> track.phase == TrackPhase.REMOVED);
        return removed;
    }

    private static TrackedPose removed(Track track) {
        return new TrackedPose(track.id, TrackPhase.REMOVED, track.pose, track.vx, track.vy, track.age, -1);
    }

    @Override
    public boolean reported(TrackedPose track) {
        return track.matched() && track.phase() == TrackPhase.CONFIRMED;
    }

    /** Similarity of a detection to a track's predicted pose, in [0, 1]. */
    public double similarity(Pose predicted, Pose detection) {
        if (farApart(predicted.box(), detection.box())) {
            // More than a box size apart: IoU is 0 and OKS below 1e-6, not worth 17 exponentials.
            return 0;
        }
        double oks = Oks.between(predicted, detection, predicted.box().area(), config.keypointThreshold());
        double iou = predicted.box().iou(detection.box());
        return config.oksWeight() * oks + (1 - config.oksWeight()) * iou;
    }

    private static boolean farApart(Bounds a, Bounds b) {
        double w = Math.max(a.width(), b.width());
        double h = Math.max(a.height(), b.height());
        return Math.abs(a.centreX() - b.centreX()) > 2 * w + h || Math.abs(a.centreY() - b.centreY()) > 3 * h;
    }

    private void associate(
            List<Integer> trackIdx,
            List<Integer> detIdx,
            Pose[] predicted,
            List<Pose> detections,
            double minSimilarity,
            int[] trackToDet,
            boolean[] detUsed) {
        List<Integer> dets = detIdx.stream().filter(d -> !detUsed[d]).toList();
        if (trackIdx.isEmpty() || dets.isEmpty()) {
            return;
        }
        double[][] cost = new double[trackIdx.size()][dets.size()];
        for (int i = 0; i < trackIdx.size(); i++) {
            Track track = tracks.get(trackIdx.get(i));
            Pose prediction = predicted[trackIdx.get(i)];
            for (int j = 0; j < dets.size(); j++) {
                Pose detection = detections.get(dets.get(j));
                double similarity = similarity(prediction, detection);
                if (track.phase == TrackPhase.LOST) {
                    // A person who left the picture or stood hidden often comes back where last seen, not where
                    // the motion model sent them: a lost track also matches at its last seen pose.
                    similarity = Math.max(similarity, similarity(track.pose, detection));
                }
                cost[i][j] = 1 - similarity;
            }
        }
        for (Assignment.Pair pair : Assignment.solve(cost, 1 - minSimilarity)) {
            int t = trackIdx.get(pair.row());
            int d = dets.get(pair.column());
            trackToDet[t] = d;
            detUsed[d] = true;
        }
    }
}
