package io.posestream.inference.crops;

import io.posestream.inference.model.Detection;
import io.posestream.inference.postprocess.DecodedPose;
import io.posestream.inference.postprocess.PoseRescoring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, per camera, which frames get the person detector and where the crops of the other frames are: each
 * person's box from the last detection, carried along by the motion of their keypoints since (as RTMPose's
 * {@code det_frequency} and MoveNet's and MediaPipe's cropping from the previous pose do).
 *
 * <p>The detector runs on a camera's frame when the camera has no state here yet (its first frame on this worker,
 * e.g. after its partition moved here), every {@link Settings#detectEveryFrames()}-th posed frame, when the last
 * detection is older than {@link Settings#detectEveryMs()}, when a tracked person's pose weakened on the previous
 * frame (it had at least {@link Settings#minKeypoints()} confident keypoints and now has fewer: occluded, or
 * leaving), when a tracked box left the frame, when the picture changed outside the tracked persons (someone may
 * have come in), or when most of it changed (the scene changed). Otherwise the frame is posed on the tracked regions
 * alone, and every tracked person is posed, weak or not, as the detector would go on finding them; except a person
 * whose last pose had no confident keypoint at all (a false detection, or someone fully hidden), or who scored under
 * a quarter of the camera's best person (clutter, a sliver of someone at the edge, which the tracker ignores):
 * posing them again buys nothing, so they wait, uncropped and unpublished, for the next detection.
 *
 * <p>Pure and single-threaded: clock readings come in as capture times, pictures as {@link Thumbnail}s. What a
 * batch observes is staged and becomes the state only on {@link #commit()} (the worker commits after its Kafka
 * transaction), so a batch that is aborted and read again ({@link #rollback()}) is planned from the same state as the
 * first time. The state lives in the worker's memory only: a camera whose partition moves to another worker starts
 * there with a detection, and here it is {@link #forget forgotten}.
 */
public final class CropPlanner {
    /**
     * @param detectEveryFrames a camera's detector runs on every n-th frame posed at most; 1 runs it on every frame
     *                          (tracking-driven crops off)
     * @param detectEveryMs     and whenever its last detection is older than this (capture time)
     * @param keypointThreshold keypoints above this score are confident: they carry a person's box along
     * @param minKeypoints      a tracked person whose confident keypoints fall below this from at least this has a
     *                          weakened pose: the detector runs on the camera's next frame
     * @param motionLevel       a thumbnail cell changed when its grey level moved by more than this
     * @param motionArea        the detector runs when changed cells outside the tracked persons exceed this share of
     *                          the frame (someone may have come in)
     * @param sceneChange       the detector runs when changed cells anywhere exceed this share (the scene changed)
     */
    public record Settings(
            int detectEveryFrames,
            long detectEveryMs,
            float keypointThreshold,
            int minKeypoints,
            int motionLevel,
            double motionArea,
            double sceneChange) {
        public Settings {
            if (detectEveryFrames < 1 || detectEveryMs < 1) {
                throw new IllegalArgumentException("detector intervals must be at least 1, got " + detectEveryFrames
                        + " frames and " + detectEveryMs + " ms");
            }
            if (minKeypoints < 1 || motionLevel < 0 || !(motionArea >= 0) || !(sceneChange > 0)) {
                throw new IllegalArgumentException("crop planner settings out of range: " + minKeypoints + ", "
                        + motionLevel + ", " + motionArea + ", " + sceneChange);
            }
        }

        /** The detector on every frame: no tracking-driven crops. */
        public static Settings detectEveryFrame() {
            return new Settings(1, 1, 0.2f, 1, 0, 0, 1);
        }

        public boolean tracking() {
            return detectEveryFrames > 1;
        }
    }

    /**
     * One person posed in a frame, handed back to the planner.
     *
     * @param person    the {@link CropPlan.Region#person()} the crop came from, or -1 for a detected person
     * @param box       the box the crop was cut around, source pixels, with the detector's score
     * @param keypoints the pose, source pixels
     */
    public record Observation(int person, Detection box, DecodedPose keypoints) {}

    /** A person tracked in a camera: their box as of {@code seenAt}, and how it moves (pixels per ms). */
    record Tracked(int id, Detection box, DecodedPose keypoints, long seenAt, double vx, double vy) {
        /** The box where the person should be at {@code time}. */
        Detection at(long time) {
            float dx = (float) (vx * (time - seenAt));
            float dy = (float) (vy * (time - seenAt));
            return new Detection(box.x1() + dx, box.y1() + dy, box.x2() + dx, box.y2() + dy, box.score());
        }
    }

    /** What is known of one camera. */
    record CameraState(
            int width,
            int height,
            long detectedAt,
            int framesSinceDetection,
            long seenAt,
            boolean weakened,
            List<Tracked> persons,
            int nextId,
            Thumbnail thumbnail) {}

    private static final double MIN_MOTION_DT_MS = 1;
    /** A tracked box keeps a person only while this share of it lies inside the frame. */
    private static final double MIN_VISIBLE = 0.3;
    /**
     * A tracked person scoring under this share of the camera's best one is not posed again before the next
     * detection: on vtest.avi a quarter of the detections are such (two bags, slivers of people at the picture's
     * edge, scoring 0.06-0.13 against people's 0.2-0.5), and the tracker ignores them anyway (its low-score pass starts
     * at 0.3 of its reference score).
     */
    private static final double FAINT_SHARE = 0.25;
    /** How far one frame may change a tracked box's size: a bad pose must not shrink or blow it up. */
    private static final double MAX_SCALE_STEP = 1.15;
    /** A detection continues a tracked person when their centres are closer than this share of its height. */
    private static final double MATCH_DISTANCE = 0.6;
    /** ... and their heights differ by less than this factor. */
    private static final double MATCH_SIZE = 1.5;

    private final Settings settings;
    private final Map<String, CameraState> committed = new HashMap<>();
    private final Map<String, CameraState> staged = new HashMap<>();

    public CropPlanner(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** What to do with {@code camera}'s frame captured at {@code captureMs}, {@code width x height} pixels. */
    public CropPlan plan(String camera, long captureMs, int width, int height, Thumbnail thumbnail) {
        if (!settings.tracking()) {
            return new CropPlan.Detect(CropPlan.Reason.EVERY_FRAME, "the detector runs on every frame");
        }
        CameraState state = state(camera);
        if (state == null) {
            return new CropPlan.Detect(CropPlan.Reason.NO_STATE, "no crop state for " + camera + " on this worker");
        }
        if (state.width() != width || state.height() != height) {
            return new CropPlan.Detect(CropPlan.Reason.STATE_MISMATCH, "frame size changed");
        }
        if (captureMs < state.seenAt()) {
            return new CropPlan.Detect(CropPlan.Reason.STATE_MISMATCH, "frame older than the last one posed");
        }
        if (state.framesSinceDetection() + 1 >= settings.detectEveryFrames()) {
            return new CropPlan.Detect(
                    CropPlan.Reason.INTERVAL, "every " + settings.detectEveryFrames() + " frames posed");
        }
        if (captureMs - state.detectedAt() >= settings.detectEveryMs()) {
            return new CropPlan.Detect(
                    CropPlan.Reason.INTERVAL, "last detection " + (captureMs - state.detectedAt()) + " ms ago");
        }
        if (state.weakened()) {
            return new CropPlan.Detect(CropPlan.Reason.WEAK_POSE, "a tracked person's pose weakened");
        }
        List<CropPlan.Region> regions = new ArrayList<>(state.persons().size());
        List<Detection> explained = new ArrayList<>(2 * state.persons().size());
        double[] scores = new double[state.persons().size()];
        double best = 0;
        for (int p = 0; p < scores.length; p++) {
            scores[p] = score(state.persons().get(p));
            best = Math.max(best, scores[p]);
        }
        for (int p = 0; p < scores.length; p++) {
            Tracked person = state.persons().get(p);
            Detection box = person.at(captureMs);
            if (visibleShare(box, width, height) < MIN_VISIBLE) {
                // Walked out of the picture: nobody to crop, and the next detection confirms it.
                return new CropPlan.Detect(CropPlan.Reason.LEFT_FRAME, "a tracked person left the frame");
            }
            if (confident(person.keypoints(), settings.keypointThreshold()) > 0 && scores[p] >= FAINT_SHARE * best) {
                regions.add(new CropPlan.Region(person.id(), clamp(box, width, height)));
            }
            explained.add(person.box());
            explained.add(box);
        }
        CropPlan.Detect change = change(state.thumbnail(), thumbnail, explained, width, height);
        if (change != null) {
            return change;
        }
        return new CropPlan.Track(regions);
    }

    /**
     * Where a person posed on a tracked region of {@code camera}'s frame at {@code captureMs} is, by their pose: the
     * box they were last seen in, moved along with their keypoints (see {@link #moved}). This is the box published
     * with the person and followed on the next frame; the region the crop was cut from was only a prediction.
     *
     * @param region the region the crop was cut from
     */
    public Detection located(String camera, CropPlan.Region region, DecodedPose pose, long captureMs) {
        CameraState state = state(camera);
        Tracked was = state == null
                ? null
                : state.persons().stream()
                        .filter(p -> p.id() == region.person())
                        .findFirst()
                        .orElse(null);
        return was == null ? region.box() : clamp(moved(was, pose, captureMs), state.width(), state.height());
    }

    /**
     * Records what a planned frame gave: the persons kept (after rescoring and OKS-NMS; a tracked person missing
     * from them was a duplicate of another and is dropped), tracked ones with their {@link #located} boxes. Staged
     * until {@link #commit()}.
     *
     * @param plan    the plan the frame was posed with
     * @param persons the persons kept in the frame
     */
    public void observe(
            String camera,
            long captureMs,
            int width,
            int height,
            CropPlan plan,
            List<Observation> persons,
            Thumbnail thumbnail) {
        if (!settings.tracking()) {
            return;
        }
        CameraState before = state(camera);
        boolean detected = plan.detects() || before == null;
        Map<Integer, Tracked> previous = new LinkedHashMap<>();
        if (before != null) {
            before.persons().forEach(p -> previous.put(p.id(), p));
        }
        int nextId = before == null ? 0 : before.nextId();
        List<Tracked> now = new ArrayList<>(persons.size());
        boolean weakened = false;
        if (detected) {
            List<Tracked> candidates = new ArrayList<>(previous.values());
            for (Observation o : persons) {
                Tracked match = nearest(candidates, o.box(), captureMs);
                if (match != null) {
                    candidates.remove(match);
                    now.add(follow(match, o.box(), o.keypoints(), captureMs));
                } else {
                    now.add(new Tracked(nextId++, o.box(), o.keypoints(), captureMs, 0, 0));
                }
            }
        } else {
            // Persons the plan did not crop (no confident keypoint last time) wait for the next detection.
            Set<Integer> cropped = new HashSet<>();
            ((CropPlan.Track) plan).regions().forEach(r -> cropped.add(r.person()));
            previous.values().stream().filter(p -> !cropped.contains(p.id())).forEach(now::add);
            for (Observation o : persons) {
                Tracked was = previous.get(o.person());
                if (was == null) {
                    continue; // not a region of this camera's plan: nothing to follow
                }
                int had = confident(was.keypoints(), settings.keypointThreshold());
                int after = confident(o.keypoints(), settings.keypointThreshold());
                weakened |= had >= settings.minKeypoints() && after < settings.minKeypoints();
                now.add(follow(was, o.box(), o.keypoints(), captureMs));
            }
        }
        staged.put(
                camera,
                new CameraState(
                        width,
                        height,
                        detected ? captureMs : before.detectedAt(),
                        detected ? 0 : before.framesSinceDetection() + 1,
                        captureMs,
                        weakened,
                        List.copyOf(now),
                        nextId,
                        thumbnail));
    }

    /** Makes what was observed since the last commit the state. */
    public void commit() {
        committed.putAll(staged);
        staged.clear();
    }

    /** Forgets what was observed since the last commit (the batch is read again). */
    public void rollback() {
        staged.clear();
    }

    /** Forgets these cameras (their partitions left this worker; whoever owns them now starts with a detection). */
    public void forget(Collection<String> cameras) {
        cameras.forEach(c -> {
            committed.remove(c);
            staged.remove(c);
        });
    }

    /** Cameras with state, committed or staged. */
    public int cameras() {
        Map<String, CameraState> all = new HashMap<>(committed);
        all.putAll(staged);
        return all.size();
    }

    /** The persons tracked in {@code camera} by their number, as boxes where they were last seen (tests, logs). */
    public Map<Integer, Detection> tracked(String camera) {
        CameraState state = state(camera);
        Map<Integer, Detection> boxes = new LinkedHashMap<>();
        if (state != null) {
            state.persons().forEach(p -> boxes.put(p.id(), p.box()));
        }
        return boxes;
    }

    private CameraState state(String camera) {
        CameraState s = staged.get(camera);
        return s != null ? s : committed.get(camera);
    }

    /**
     * The tracked person's box moved along with their keypoints: shifted by the mean displacement of the keypoints
     * confident in both poses and scaled by the change of their spread (bounded per frame), so the box keeps the
     * detector's shape around the person. With fewer than two keypoints confident in both, moved by the person's
     * velocity instead.
     */
    private Detection moved(Tracked was, DecodedPose now, long time) {
        DecodedPose then = was.keypoints();
        float threshold = settings.keypointThreshold();
        int n = 0;
        double ax = 0, ay = 0, bx = 0, by = 0;
        for (int k = 0; k < now.size(); k++) {
            if (then.scores()[k] > threshold && now.scores()[k] > threshold) {
                ax += then.x()[k];
                ay += then.y()[k];
                bx += now.x()[k];
                by += now.y()[k];
                n++;
            }
        }
        if (n < 2) {
            return was.at(time);
        }
        ax /= n;
        ay /= n;
        bx /= n;
        by /= n;
        double spreadThen = 0, spreadNow = 0;
        for (int k = 0; k < now.size(); k++) {
            if (then.scores()[k] > threshold && now.scores()[k] > threshold) {
                spreadThen += Math.hypot(then.x()[k] - ax, then.y()[k] - ay);
                spreadNow += Math.hypot(now.x()[k] - bx, now.y()[k] - by);
            }
        }
        double scale = spreadThen > 0 ? spreadNow / spreadThen : 1;
        scale = Math.max(1 / MAX_SCALE_STEP, Math.min(MAX_SCALE_STEP, scale));
        Detection box = was.box();
        double cx = (box.x1() + box.x2()) / 2 + (bx - ax);
        double cy = (box.y1() + box.y2()) / 2 + (by - ay);
        double hw = (box.x2() - box.x1()) / 2 * scale;
        double hh = (box.y2() - box.y1()) / 2 * scale;
        return new Detection((float) (cx - hw), (float) (cy - hh), (float) (cx + hw), (float) (cy + hh), box.score());
    }

    /** The person now at {@code box}, their velocity from the box centre's move since last seen (smoothed). */
    private static Tracked follow(Tracked was, Detection box, DecodedPose keypoints, long time) {
        double dt = time - was.seenAt();
        double vx = was.vx();
        double vy = was.vy();
        if (dt >= MIN_MOTION_DT_MS) {
            double mx = (centreX(box) - centreX(was.box())) / dt;
            double my = (centreY(box) - centreY(was.box())) / dt;
            // Half the new measurement: one noisy pose must not throw the next crop off.
            vx = 0.5 * vx + 0.5 * mx;
            vy = 0.5 * vy + 0.5 * my;
        }
        return new Tracked(was.id(), box, keypoints, time, vx, vy);
    }

    /**
     * The candidate whose box, where it should be at {@code time}, is nearest to {@code box}: centres closer than
     * {@value #MATCH_DISTANCE} of the candidate's height, heights within a factor {@value #MATCH_SIZE}. By distance
     * rather than overlap, because a walking person moves more than their width between the frames of a camera that
     * a busy worker poses.
     */
    private static Tracked nearest(List<Tracked> candidates, Detection box, long time) {
        Tracked best = null;
        double bestDistance = Double.MAX_VALUE;
        double height = box.y2() - box.y1();
        for (Tracked t : candidates) {
            Detection there = t.at(time);
            double h = there.y2() - there.y1();
            double distance = Math.hypot(centreX(there) - centreX(box), centreY(there) - centreY(box));
            if (distance < MATCH_DISTANCE * h
                    && distance < bestDistance
                    && height < MATCH_SIZE * h
                    && h < MATCH_SIZE * height) {
                best = t;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Why the picture calls for a detection, or null: cells that changed since the camera's last posed frame,
     * outside the {@code explained} boxes (where tracked persons were and are now), over {@code motionArea} of the
     * frame; or cells changed anywhere over {@code sceneChange}.
     */
    private CropPlan.Detect change(Thumbnail before, Thumbnail now, List<Detection> explained, int width, int height) {
        if (before == null || now == null) {
            return null;
        }
        if (before.width() != now.width() || before.height() != now.height()) {
            return new CropPlan.Detect(CropPlan.Reason.STATE_MISMATCH, "thumbnail size changed");
        }
        int w = now.width();
        int h = now.height();
        boolean[] masked = new boolean[w * h];
        double cellW = (double) width / w;
        double cellH = (double) height / h;
        for (Detection box : explained) {
            // One cell of margin: a cell the box only touches still mixes the person into its mean.
            int x1 = Math.max(0, (int) Math.floor(box.x1() / cellW) - 1);
            int y1 = Math.max(0, (int) Math.floor(box.y1() / cellH) - 1);
            int x2 = Math.min(w - 1, (int) Math.floor(box.x2() / cellW) + 1);
            int y2 = Math.min(h - 1, (int) Math.floor(box.y2() / cellH) + 1);
            for (int y = y1; y <= y2; y++) {
                for (int x = x1; x <= x2; x++) {
                    masked[y * w + x] = true;
                }
            }
        }
        int changed = 0;
        int unexplained = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (Math.abs(now.at(x, y) - before.at(x, y)) > settings.motionLevel()) {
                    changed++;
                    if (!masked[y * w + x]) {
                        unexplained++;
                    }
                }
            }
        }
        int cells = w * h;
        if (changed > settings.sceneChange() * cells) {
            return new CropPlan.Detect(
                    CropPlan.Reason.SCENE_CHANGE, "scene changed (" + changed + " of " + cells + " cells)");
        }
        if (unexplained > settings.motionArea() * cells) {
            return new CropPlan.Detect(
                    CropPlan.Reason.MOTION,
                    "motion outside the tracked persons (" + unexplained + " of " + cells + " cells)");
        }
        return null;
    }

    /** A tracked person's score as the pipeline rescores it: box score times the mean confident keypoint score. */
    private double score(Tracked person) {
        return PoseRescoring.rescore(person.box().score(), person.keypoints().scores(), settings.keypointThreshold());
    }

    private static int confident(DecodedPose pose, float threshold) {
        int n = 0;
        for (float s : pose.scores()) {
            n += s > threshold ? 1 : 0;
        }
        return n;
    }

    private static double visibleShare(Detection box, int width, int height) {
        double area = (box.x2() - box.x1()) * (double) (box.y2() - box.y1());
        if (!(area > 0)) {
            return 0;
        }
        double iw = Math.max(0, Math.min(width, box.x2()) - Math.max(0, box.x1()));
        double ih = Math.max(0, Math.min(height, box.y2()) - Math.max(0, box.y1()));
        return iw * ih / area;
    }

    private static Detection clamp(Detection box, int width, int height) {
        return new Detection(
                Math.max(0, box.x1()),
                Math.max(0, box.y1()),
                Math.min(width, box.x2()),
                Math.min(height, box.y2()),
                box.score());
    }

    private static double centreX(Detection box) {
        return (box.x1() + box.x2()) / 2.0;
    }

    private static double centreY(Detection box) {
        return (box.y1() + box.y2()) / 2.0;
    }
}
