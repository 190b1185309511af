package io.posestream.tracker.core;

import io.posestream.schemas.AppearanceDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Multi-person tracker of one camera. Per frame: the frame's person scores update the camera's reference score
 * and the score thresholds follow it; every track is predicted by its Kalman filter to the frame's capture time;
 * a first pass assigns the detections scoring from {@code highScore} up to all live tracks (tentative, confirmed
 * and lost) on {@code 1 - similarity}; a second pass gives the lower-scoring ones to confirmed tracks still
 * unmatched (ByteTrack's idea: a half-hidden person scores low but is still there); unmatched tracks miss;
 * unmatched confident detections start tentative tracks. Similarity blends OKS at the predicted pose with the
 * likelihood of the detection's position under the filter's prediction, gated by their Mahalanobis distance.
 * Matched tracks publish their keypoints smoothed over time.
 */
public final class PoseTracker implements FrameTracker {
    /** Degrees of freedom of the motion distance (x, y): its expected value for a true match. */
    private static final double MOTION_DOF = 2;
    /**
     * OKS from which a lost track and a matched one that took turns on the detections are one person. Two tracks on
     * one person otherwise live on together, each matched while the other misses, so neither ever expires: on
     * vtest.avi each such pair doubled crossings and zone counts in the analytics.
     */
    private static final double DUPLICATE_OKS = 0.8;
    /** Third pass: least colour similarity, and its gate as a multiple of the motion gate. */
    private static final double REID_COLOURS = 0.95;

    private static final double REID_GATE_FACTOR = 2;
    /**
     * Third pass: how far from its prediction, in body heights, a track's person may come out: this much, and this
     * much more per second since the track was last seen. The gate alone is in units of the prediction's uncertainty,
     * which sits at its bound (half a body height) once a second has passed, so at one posed frame a second twice
     * the gate reached 2.6 body heights, and in a crowd someone dressed alike is often that close. Walkers on
     * vtest.avi change velocity by 0.5 body heights/s in a second at the 95th percentile.
     */
    private static final double REID_MAX_OFFSET = 0.75;

    private static final double REID_OFFSET_PER_SECOND = 0.5;
    /**
     * A dormant track, gone for seconds, needs closer colours and stays within the motion gate itself, and within
     * {@value #DORMANT_MAX_OFFSET} body heights of its prediction: two people dressed alike are common, and with a
     * looser rule a dormant track took a passer-by in the street crowd scenes.
     */
    private static final double DORMANT_COLOURS = 0.97;

    private static final double DORMANT_MAX_OFFSET = 1.5;

    private final TrackerConfig config;
    private final TrackLifecycle lifecycle;
    private final KalmanMotion motion;
    private final KeypointSmoother smoother;
    private final ScoreReference scores;
    private final List<Track> tracks;
    private long nextId;
    /** Capture time of the last posed frame, and the mean interval between posed frames (0 while unknown). */
    private long lastPosedMs;

    private double posedIntervalMs;

    public PoseTracker(TrackerConfig config) {
        this(config, 1, new ArrayList<>(), new ScoreReference(), Long.MIN_VALUE, 0);
    }

    /** Restores a tracker from saved state (see {@link CameraStateCodec}). */
    PoseTracker(
            TrackerConfig config,
            long nextId,
            List<Track> tracks,
            ScoreReference scores,
            long lastPosedMs,
            double posedIntervalMs) {
        this.config = config;
        this.lifecycle = new TrackLifecycle(config);
        this.motion = new KalmanMotion(config);
        this.smoother = new KeypointSmoother(config);
        this.nextId = nextId;
        this.tracks = tracks;
        this.scores = scores;
        this.lastPosedMs = lastPosedMs;
        this.posedIntervalMs = posedIntervalMs;
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

    /** The camera's reference person score, which the score thresholds are fractions of. */
    public double referenceScore() {
        return Math.max(config.minReferenceScore(), scores.quantile(config.scoreQuantile()));
    }

    ScoreReference scoreReference() {
        return scores;
    }

    long lastPosedMs() {
        return lastPosedMs;
    }

    /** The camera's mean interval between posed frames, ms (0 while unknown). */
    public double posedIntervalMs() {
        return posedIntervalMs;
    }

    /** How long a lost track's predicted position keeps moving, at the camera's current posed rate. */
    double predictionHorizonMs() {
        return lifecycle.predictionHorizon(posedIntervalMs);
    }

    @Override
    public List<TrackedPose> update(long timeMs, List<Pose> detections) {
        if (lastPosedMs != Long.MIN_VALUE && timeMs > lastPosedMs) {
            // Exponential mean over about the last ten intervals: slow posing stretches the tracks' windows.
            double interval = timeMs - lastPosedMs;
            posedIntervalMs = posedIntervalMs == 0 ? interval : 0.9 * posedIntervalMs + 0.1 * interval;
        }
        lastPosedMs = Math.max(lastPosedMs, timeMs);
        // Lost tracks past their window go first, so a person returning after a gap without frames is not
        // matched to a track that has already expired.
        List<TrackedPose> out = advance(timeMs);
        double[] personScores = new double[detections.size()];
        for (int d = 0; d < detections.size(); d++) {
            personScores[d] = detections.get(d).personScore();
        }
        scores.observe(personScores);
        double reference = referenceScore();
        double highScore = config.highScore() * reference;
        double lowScore = config.lowScore() * reference;
        double newTrackScore = config.newTrackScore() * reference;

        int nTracks = tracks.size();
        double horizonMs = predictionHorizonMs();
        KalmanMotion.Prediction[] predicted = new KalmanMotion.Prediction[nTracks];
        for (int t = 0; t < nTracks; t++) {
            predicted[t] = motion.predict(tracks.get(t), timeMs, horizonMs);
        }
        int[] trackToDet = new int[nTracks];
        Arrays.fill(trackToDet, -1);
        boolean[] detUsed = new boolean[detections.size()];

        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int d = 0; d < detections.size(); d++) {
            if (personScores[d] >= highScore) {
                high.add(d);
            } else if (personScores[d] >= lowScore) {
                low.add(d);
            }
        }
        List<Integer> allTracks = new ArrayList<>();
        for (int t = 0; t < nTracks; t++) {
            // Dormant tracks are found by their colours only (third pass): by motion alone, a track whose person
            // has been gone for seconds would take whoever passes where it was last expected.
            if (tracks.get(t).phase != TrackPhase.DORMANT) {
                allTracks.add(t);
            }
        }
        associate(allTracks, high, predicted, detections, config.minSimilarity(), false, trackToDet, detUsed);
        List<Integer> confirmedLeft = new ArrayList<>();
        for (int t = 0; t < nTracks; t++) {
            if (trackToDet[t] < 0 && tracks.get(t).phase == TrackPhase.CONFIRMED) {
                confirmedLeft.add(t);
            }
        }
        associate(confirmedLeft, low, predicted, detections, config.lowMinSimilarity(), true, trackToDet, detUsed);
        reidentify(high, predicted, detections, trackToDet, detUsed);

        long[] seenBefore = new long[nTracks];
        for (int t = 0; t < nTracks; t++) {
            seenBefore[t] = tracks.get(t).lastSeenMs;
        }
        // Matched tracks first, so the misses below see every track this frame confirmed.
        for (int t = 0; t < nTracks; t++) {
            Track track = tracks.get(t);
            track.age++;
            if (trackToDet[t] >= 0) {
                Pose matched = detections.get(trackToDet[t]);
                boolean reacquired = track.phase == TrackPhase.LOST || track.phase == TrackPhase.DORMANT;
                motion.update(track, matched, timeMs, reacquired, horizonMs);
                if (reacquired) {
                    smoother.reset(track);
                }
                Pose published = config.smoothing() ? smoother.smooth(track, matched, timeMs) : matched;
                lifecycle.hit(track, matched, timeMs);
                TrackAppearance.update(track, matched);
                out.add(new TrackedPose(
                        track.id, track.phase, matched, published, track.vx(), track.vy(), track.age, trackToDet[t]));
            }
        }
        for (int t = 0; t < nTracks; t++) {
            Track track = tracks.get(t);
            if (trackToDet[t] >= 0) {
                continue;
            }
            lifecycle.miss(track, timeMs, posedIntervalMs);
            KalmanMotion.Prediction p = predicted[t];
            Pose at = track.pose.translate(p.dx(), p.dy());
            if (track.phase == TrackPhase.LOST && duplicates(track, at, trackToDet, seenBefore, detections)) {
                track.phase = TrackPhase.REMOVED;
            }
            if (track.phase == TrackPhase.LOST) {
                // Published (and reported offline) where the smoothed pose the track last published is expected:
                // a consumer's skeleton does not jump from smoothed to raw keypoints when the person is missed.
                Pose expected = config.smoothing() ? smoother.publishedMoved(track, p.dx(), p.dy()) : at;
                out.add(new TrackedPose(
                        track.id, track.phase, expected, expected, track.vx(), track.vy(), track.age, -1));
            } else if (track.phase == TrackPhase.REMOVED) {
                out.add(removed(track));
            }
        }
        tracks.removeIf(track -> track.phase == TrackPhase.REMOVED);
        for (int d : high) {
            if (!detUsed[d] && personScores[d] >= newTrackScore) {
                Pose detection = detections.get(d);
                Track born = lifecycle.birth(nextId++, detection, timeMs);
                motion.start(born);
                TrackAppearance.update(born, detection);
                Pose published = config.smoothing() ? smoother.smooth(born, detection, timeMs) : detection;
                tracks.add(born);
                out.add(new TrackedPose(born.id, born.phase, detection, published, 0, 0, born.age, d));
            }
        }
        out.sort(Comparator.comparingLong(TrackedPose::trackId));
        return out;
    }

    /**
     * Whether {@code lost}, expected at {@code at}, is a second track on a person another confirmed track matched in
     * this frame: the pose there is the same (OKS at least {@value #DUPLICATE_OKS}) and the two were never seen in
     * one frame since {@code lost} was last matched (the other was missing then: they took turns on one person).
     * Two people, one hidden behind the other, were both seen before the hiding, so the hidden one keeps its track;
     * two people who met and were seen as one keep theirs when their colours tell them apart.
     */
    private boolean duplicates(Track lost, Pose at, int[] trackToDet, long[] seenBefore, List<Pose> detections) {
        for (int t = 0; t < trackToDet.length; t++) {
            if (trackToDet[t] >= 0
                    && tracks.get(t).phase == TrackPhase.CONFIRMED
                    && seenBefore[t] < lost.lastSeenMs
                    && Oks.between(at, detections.get(trackToDet[t]), at.box().area(), config.keypointThreshold())
                            >= DUPLICATE_OKS
                    && !TrackAppearance.unlike(lost, tracks.get(t), config.appearanceWeight())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Time moved to {@code timeMs} without detections to match (a skipped frame): only expiry happens. Returns the
     * tracks removed now, each reported this once as REMOVED at its last seen pose; they are forgotten after.
     */
    public List<TrackedPose> advance(long timeMs) {
        List<TrackedPose> removed = new ArrayList<>();
        for (Track track : tracks) {
            lifecycle.expire(track, timeMs, posedIntervalMs);
            if (track.phase == TrackPhase.REMOVED) {
                removed.add(removed(track));
            }
        }
        tracks.removeIf(track -> track.phase == TrackPhase.REMOVED);
        return removed;
    }

    private static TrackedPose removed(Track track) {
        return new TrackedPose(
                track.id, TrackPhase.REMOVED, track.pose, track.pose, track.vx(), track.vy(), track.age, -1);
    }

    /**
     * Matched confirmed tracks, and confirmed tracks that missed no more than {@code reportLostFrames} posed frames in
     * a row, at their motion prediction: the default models miss 12-18% of people standing alone in a frame (more when
     * partly hidden), and a person the detector blinked on is still there. Longer gaps are not reported: the
     * prediction of a walking person's limbs drifts within a second.
     */
    @Override
    public boolean reported(TrackedPose track) {
        if (track.phase() == TrackPhase.CONFIRMED) {
            return track.matched();
        }
        if (track.phase() != TrackPhase.LOST || config.reportLostFrames() == 0) {
            return false;
        }
        for (Track t : tracks) {
            if (t.id == track.trackId()) {
                return t.misses <= config.reportLostFrames();
            }
        }
        return false;
    }

    /**
     * Similarity in [0, 1] of a detection to a track predicted as {@code p}: 0 outside the motion gate, else OKS
     * at the predicted pose blended with the motion likelihood. A lost track is compared where the filter expects
     * it, whose uncertainty has grown with the time since it was seen: that covers a person waiting hidden where
     * last seen as well as one walking on (a separate comparison at the last seen place, measured, only cost ID
     * switches where people cross).
     */
    double similarity(Track track, KalmanMotion.Prediction p, Pose detection) {
        if (farApart(track, p, detection)) {
            return 0;
        }
        double distance2 = motion.distance2(track, p, detection);
        if (!(distance2 <= config.motionGate())) {
            return 0;
        }
        Pose expected = track.pose.translate(p.dx(), p.dy());
        double oks = Oks.between(expected, detection, expected.box().area(), config.keypointThreshold());
        double likelihood = Math.exp(-0.5 * distance2 / MOTION_DOF);
        double shape = config.oksWeight() * oks + (1 - config.oksWeight()) * likelihood;
        return TrackAppearance.blend(track, detection, shape, config.appearanceWeight());
    }

    /**
     * Whether a low-scoring detection's box height is within {@code lowMaxHeightRatio} of the track's last box
     * height. Pose changes and partial hiding change a person's box by less; clutter near a person (a bag, a
     * sign's post, the two small objects vtest.avi's detector finds in most frames) is far smaller, scores like a
     * half-hidden person and, taken in the low-score pass, dragged a standing person's track onto itself.
     */
    private boolean similarSize(Track track, Pose detection) {
        double ratio = detection.box().height() / Math.max(1, track.pose.box().height());
        return ratio <= config.lowMaxHeightRatio() && ratio >= 1 / config.lowMaxHeightRatio();
    }

    /**
     * Whether the boxes alone put the detection beyond the motion gate, so the keypoint medians need not be computed
     * (most pairs in a busy picture). The measured position follows the keypoints, which can sit off the box centre
     * by up to about half a body height when the box is cut short; beyond that margin the gate cannot pass.
     */
    private boolean farApart(Track track, KalmanMotion.Prediction p, Pose detection) {
        Bounds last = track.pose.box();
        Bounds box = detection.box();
        double margin = 0.5 * Math.max(last.height(), box.height());
        double reach = Math.sqrt(config.motionGate());
        double dx = Math.abs(box.centreX() - (last.centreX() + p.dx())) - margin;
        double dy = Math.abs(box.centreY() - (last.centreY() + p.dy())) - margin;
        return (dx > 0 && dx * dx > reach * reach * p.sx()) || (dy > 0 && dy * dy > reach * reach * p.sy());
    }

    /**
     * Third pass, when the detections carry colours: a confirmed or lost track still unmatched takes a confident
     * detection still unmatched whose colours are its own (similarity from {@value #REID_COLOURS}) and whose position
     * is within {@value #REID_GATE_FACTOR} times the motion gate. A person hidden behind another for a few frames, or
     * walking on while hidden, comes out further from the prediction than the gate allows; without colours a new
     * track was born on them. Dormant tracks take part here only, with stricter rules ({@value #DORMANT_COLOURS}, the
     * motion gate). Pairs are taken by an optimal assignment on distance and colour difference together.
     */
    private void reidentify(
            List<Integer> high,
            KalmanMotion.Prediction[] predicted,
            List<Pose> detections,
            int[] trackToDet,
            boolean[] detUsed) {
        if (config.appearanceWeight() == 0) {
            return;
        }
        List<Integer> left = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            if (trackToDet[t] < 0 && tracks.get(t).phase != TrackPhase.TENTATIVE && tracks.get(t).appearance != null) {
                left.add(t);
            }
        }
        List<Integer> dets = high.stream()
                .filter(d -> !detUsed[d] && detections.get(d).appearance() != null)
                .toList();
        if (left.isEmpty() || dets.isEmpty()) {
            return;
        }
        double looseGate = REID_GATE_FACTOR * config.motionGate();
        double[][] cost = new double[left.size()][dets.size()];
        for (int i = 0; i < left.size(); i++) {
            Track track = tracks.get(left.get(i));
            for (int j = 0; j < dets.size(); j++) {
                Pose detection = detections.get(dets.get(j));
                double colours = AppearanceDescriptor.similarity(track.appearance, detection.appearance());
                KalmanMotion.Prediction p = predicted[left.get(i)];
                double distance2 = motion.distance2(track, p, detection);
                boolean dormant = track.phase == TrackPhase.DORMANT;
                double minColours = dormant ? DORMANT_COLOURS : REID_COLOURS;
                double gate = dormant ? config.motionGate() : looseGate;
                double maxOffset = dormant
                        ? DORMANT_MAX_OFFSET
                        : REID_MAX_OFFSET + REID_OFFSET_PER_SECOND * (lastPosedMs - track.lastSeenMs) / 1000.0;
                cost[i][j] =
                        colours >= minColours && distance2 <= gate && motion.offset(track, p, detection) <= maxOffset
                                ? 0.5 * distance2 / gate + 0.5 * (1 - colours) / (1 - minColours)
                                : 2;
            }
        }
        for (Assignment.Pair pair : Assignment.solve(cost, 1.5)) {
            int t = left.get(pair.row());
            int d = dets.get(pair.column());
            trackToDet[t] = d;
            detUsed[d] = true;
        }
    }

    private void associate(
            List<Integer> trackIdx,
            List<Integer> detIdx,
            KalmanMotion.Prediction[] predicted,
            List<Pose> detections,
            double minSimilarity,
            boolean lowPass,
            int[] trackToDet,
            boolean[] detUsed) {
        List<Integer> dets = detIdx.stream().filter(d -> !detUsed[d]).toList();
        if (trackIdx.isEmpty() || dets.isEmpty()) {
            return;
        }
        double[][] cost = new double[trackIdx.size()][dets.size()];
        for (int i = 0; i < trackIdx.size(); i++) {
            Track track = tracks.get(trackIdx.get(i));
            KalmanMotion.Prediction prediction = predicted[trackIdx.get(i)];
            for (int j = 0; j < dets.size(); j++) {
                Pose detection = detections.get(dets.get(j));
                cost[i][j] =
                        lowPass && !similarSize(track, detection) ? 1 : 1 - similarity(track, prediction, detection);
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
