package io.posestream.tracker.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.eval.HeadSize;
import io.posestream.tracker.eval.PoseTrackData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Makes a synthetic scene: people (COCO-17 stick figures) walking through a picture, the ground truth
 * (PoseTrack-2018 style, with {@code track_id} and invisible joints at 0,0,0) and noisy detections as a pose
 * estimator would give them: jittered keypoints, low scores on hidden joints, lower person scores when partly
 * hidden, missed people, people hidden behind nearer ones, and false positives. Clean scenes are 1280x720 at 25
 * posed frames per second; calibrated scenes ({@link Scenario#calibrated()}) follow {@link Conditions#CALIBRATED},
 * the sample camera as measured. Every image has its {@code timestamp_ms}. The same scenario and seed always give
 * the same files.
 */
public final class SceneGenerator {
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 720;
    public static final double FPS = 25;
    /** Scenario FALLS: when its first and its last person start to fall, in seconds from the scene's start. */
    public static final List<Double> FALL_TIMES_S = List.of(2.0, 4.0);
    /** How long a synthetic fall takes: a fallen person is down this long after it starts. */
    public static final double FALL_SECONDS = Walker.FALL_SECONDS;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ground truth and detections of one scene. */
    public record Scene(PoseTrackData groundTruth, PoseTrackData detections) {}

    /**
     * How detections err and when frames are posed.
     *
     * @param width              picture width
     * @param height             picture height
     * @param jitter             keypoint noise, standard deviation per axis in body heights
     * @param outlierShare       share of visible keypoints placed far off (a limb taken for another, a bad crop)
     * @param outlierJitter      their noise, in body heights
     * @param boxJitter          noise of each box edge in body heights; 0 makes the box from the keypoints
     * @param missRate           chance a detectable person is missed while no nearer person covers them
     * @param coveredMissRates   chance a person is missed while the nearest person in front covers 5-25%,
     *                           25-50% and over 50% of their box
     * @param falsePositives     spurious detections per frame (Poisson mean)
     * @param clutter            objects detected as persons at fixed places most of the time (poles, bags)
     * @param modelScores        person and keypoint scores as the default models give them (else confident ones)
     * @param posedRate          mean posed frames per second; frames come at irregular intervals
     * @param gapSpread          each interval is {@code 1/posedRate} times a factor in {@code [1-spread, 1+spread]}
     * @param longGapShare       share of intervals lengthened by 0.3 to 0.7 s (the worker busy with other cameras)
     */
    public record Conditions(
            int width,
            int height,
            double jitter,
            double outlierShare,
            double outlierJitter,
            double boxJitter,
            double missRate,
            double[] coveredMissRates,
            double falsePositives,
            int clutter,
            boolean modelScores,
            double posedRate,
            double gapSpread,
            double longGapShare) {
        /** Large people, confident scores, every frame posed at 25 fps. */
        public static final Conditions CLEAN =
                new Conditions(WIDTH, HEIGHT, 0.01, 0, 0, 0, 0.05, null, 0.05, 0, false, FPS, 0, 0);

        /**
         * The sample camera (vtest.avi, 768x576) through CenterNet and MoveNet-Thunder as {@code bench footage}
         * measured it: people 55 to 125 px tall; keypoints with noise of 1.3% of body height and 7% of them far
         * off (sd 12%); box edges with noise of 2.5%; 12% of people missed alone, 30%, 60% and 95% when a nearer
         * person covers 5-25%, 25-50% or over half of them; two pieces of clutter detected in most frames at low
         * scores; posed at about 2 frames per second per camera with intervals from 0.2 to 0.8 s and one in ten
         * half a second longer.
         */
        public static final Conditions CALIBRATED = new Conditions(
                768, 576, 0.013, 0.07, 0.12, 0.025, 0.12, new double[] {0.30, 0.60, 0.95}, 0.1, 2, true, 2.0, 0.6, 0.1);

        /** These conditions with other noise and posing. */
        Conditions vary(
                double jitter,
                double missRate,
                double falsePositives,
                double posedRate,
                double gapSpread,
                double longGapShare) {
            return new Conditions(
                    width,
                    height,
                    jitter,
                    outlierShare,
                    outlierJitter,
                    boxJitter,
                    missRate,
                    coveredMissRates,
                    falsePositives,
                    clutter,
                    modelScores,
                    posedRate,
                    gapSpread,
                    longGapShare);
        }

        Conditions with(double jitter, double missRate, double falsePositives) {
            return vary(jitter, missRate, falsePositives, posedRate, gapSpread, longGapShare);
        }
    }

    /** An object detected as a person at a fixed place. */
    private record Clutter(double cx, double footY, double height, double width) {}

    /** The largest share of a walker's box one nearer walker covers, and that walker's index (-1 when none does). */
    private record Cover(double share, int by) {}

    private final Scenario scenario;
    private final long seed;
    private final Random random;
    /** Colours have their own stream, so adding them left every scene's people, detections and frames as they were. */
    private final Random colours;

    public SceneGenerator(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        this.random = new Random(seed * 31 + scenario.ordinal());
        this.colours = new Random(seed * 31 + scenario.ordinal() + 0x636f6c6fL);
    }

    public Scene generate() {
        List<Walker> walkers = new ArrayList<>();
        Conditions conditions = Conditions.CLEAN;
        Conditions base = conditions;
        double seconds = 150 / FPS;
        switch (scenario) {
            case WALKING -> lanes(walkers, 4);
            case CROSSING -> {
                seconds = 175 / FPS;
                double meet = 600 + jitter(60);
                walkers.add(walker(1, meet - 420, 500, 150 + jitter(15), 1e9));
                walkers.add(walker(2, meet + 420, 512, -150 + jitter(15), 1e9));
                walkers.add(walker(3, meet - 330 + jitter(40), 650, 120 + jitter(15), 1e9));
                walkers.add(walker(4, meet + 330 + jitter(40), 662, -120 + jitter(15), 1e9));
            }
            case OCCLUSION -> {
                seconds = 200 / FPS;
                // B overtakes A from behind at 25 px/s: hidden (too few joints to detect) for about a second.
                double startA = 450 + jitter(40);
                walkers.add(new Walker(1, startA, 690, 400, 60, 1e9, 1.6, random.nextDouble() * 6));
                walkers.add(new Walker(2, startA - 90, 570, 300, 85 + jitter(3), 1e9, 1.8, random.nextDouble() * 6));
                walkers.add(walker(3, -40, 420, 110 + jitter(20), 1e9));
                walkers.add(walker(4, 1320, 450, -100 + jitter(20), 1e9));
            }
            case REENTRY -> {
                seconds = 275 / FPS;
                double speed = 150 + jitter(10);
                double startA = 900 + jitter(30);
                // A leaves on the right and is out of the picture for about a second.
                double outA = (WIDTH + 0.17 * 300 - startA) / speed;
                walkers.add(new Walker(1, startA, 600, 300, speed, outA + 0.5, 1.8, random.nextDouble() * 6));
                // B leaves on the left and is away for about five seconds: past the lost window.
                double startB = 400 + jitter(30);
                double outB = (startB + 0.17 * 250) / speed;
                walkers.add(new Walker(2, startB, 500, 250, -speed, outB + 2.5, 1.8, random.nextDouble() * 6));
                walkers.add(walker(3, 200, 700, 60 + jitter(10), 1e9));
            }
            case MISSED_DETECTIONS -> {
                lanes(walkers, 4);
                conditions = base.with(base.jitter(), 0.3, base.falsePositives());
            }
            case JITTER -> {
                lanes(walkers, 4);
                conditions = base.with(0.035, base.missRate(), base.falsePositives());
            }
            case FALSE_POSITIVES -> {
                lanes(walkers, 4);
                conditions = base.with(base.jitter(), base.missRate(), 1.0);
            }
            case FALLS -> {
                seconds = 200 / FPS;
                // Three people, each in a column of its own and barely moving (waiting, browsing), so a fallen body
                // lies in view rather than behind someone: the first and the last fall, towards the middle one.
                for (int i = 0; i < 3; i++) {
                    double speed = (2 + random.nextDouble() * 8) * (random.nextBoolean() ? 1 : -1);
                    walkers.add(walker(i + 1, 240 + 400 * i + jitter(20), 430 + 30 * i + jitter(10), speed, 1e9));
                }
                walkers.set(0, walkers.get(0).fallingAt(FALL_TIMES_S.get(0)));
                walkers.set(2, walkers.get(2).fallingAt(FALL_TIMES_S.get(1)));
            }
            case CROWD -> lanes(walkers, 15);
            case STREET_CROWD, FOUR_CAMERAS -> {
                Conditions c = Conditions.CALIBRATED;
                // Four cameras on one 2-core worker: each posed about 0.9 times a second (bench demo).
                conditions = scenario == Scenario.STREET_CROWD
                        ? c
                        : c.vary(c.jitter(), c.missRate(), c.falsePositives(), 0.9, c.gapSpread(), c.longGapShare());
                seconds = 45;
                int people = 6 + random.nextInt(7);
                for (int i = 0; i < people; i++) {
                    entering(
                            walkers,
                            i + 1,
                            conditions,
                            250 + random.nextDouble() * 300,
                            speed(),
                            -15 + 50.0 * i / people);
                }
            }
            case SIDE_BY_SIDE -> {
                conditions = Conditions.CALIBRATED;
                seconds = 40;
                long id = 1;
                for (int pair = 0; pair < 2; pair++) {
                    double footY = 300 + 200 * pair + jitter(20);
                    double speed = (0.35 + random.nextDouble() * 0.3) * (pair == 0 ? 1 : -1);
                    double enter = 2 + random.nextDouble() * 8;
                    entering(walkers, id++, conditions, footY, speed, enter);
                    // The partner a little nearer and a little ahead or behind, at the same pace: their boxes overlap
                    // most of the time.
                    Walker first = walkers.get(walkers.size() - 1);
                    double gap = (0.15 + random.nextDouble() * 0.2) * first.height() * (random.nextBoolean() ? 1 : -1);
                    double partnerFoot = footY + 20 + jitter(8);
                    // Pacing together: the same wander as the first.
                    walkers.add(new Walker(
                            id++,
                            first.startX() + gap,
                            partnerFoot,
                            bodyHeight(partnerFoot),
                            first.speed(),
                            1e9,
                            stepHz(),
                            first.phase(),
                            first.wander(),
                            first.wanderHz()));
                }
                entering(walkers, id++, conditions, 380 + jitter(30), speed(), random.nextDouble() * 10);
                entering(walkers, id, conditions, 460 + jitter(30), -speed(), 10 + random.nextDouble() * 10);
            }
            case BYSTANDER -> {
                conditions = Conditions.CALIBRATED;
                seconds = 40;
                double footY = 380 + jitter(40);
                double height = bodyHeight(footY);
                walkers.add(new Walker(1, 300 + random.nextDouble() * 200, footY, height, 0, 1e9, 0, 0));
                for (int i = 0; i < 4; i++) {
                    double walkerFoot =
                            footY + (i % 2 == 0 ? 40 + random.nextDouble() * 60 : -40 - random.nextDouble() * 60);
                    entering(
                            walkers,
                            i + 2,
                            conditions,
                            walkerFoot,
                            speed() * (i < 2 ? 1 : -1),
                            i * 8 + random.nextDouble() * 4);
                }
            }
            case OCCLUDED_CROSSING -> {
                conditions = Conditions.CALIBRATED;
                seconds = 30;
                long id = 1;
                for (int crossing = 0; crossing < 2; crossing++) {
                    double meetAt = 6 + 12 * crossing + jitter(2);
                    double meetX = 250 + random.nextDouble() * 270;
                    double farFoot = 300 + 150 * crossing + jitter(20);
                    double nearFoot = farFoot + 35 + random.nextDouble() * 20;
                    for (double[] person : new double[][] {{farFoot, 1}, {nearFoot, -1}}) {
                        double h = bodyHeight(person[0]);
                        double speed = (0.45 + random.nextDouble() * 0.25) * h * person[1];
                        walkers.add(
                                new Walker(id++, meetX - speed * meetAt, person[0], h, speed, 1e9, stepHz(), phase()));
                    }
                }
            }
            case IRREGULAR_RATE -> {
                Conditions c = Conditions.CALIBRATED;
                conditions = c.vary(c.jitter(), c.missRate(), c.falsePositives(), 1.5, 0.85, 0.2);
                seconds = 45;
                for (int i = 0; i < 6; i++) {
                    entering(walkers, i + 1, conditions, 260 + 50 * i + jitter(15), speed(), -10 + 7 * i);
                }
            }
        }
        return render(walkers, frameTimes(conditions, seconds), conditions);
    }

    private void lanes(List<Walker> walkers, int count) {
        for (int i = 0; i < count; i++) {
            double footY = 380 + (HEIGHT - 10 - 380) * (count == 1 ? 1 : (double) i / (count - 1)) + jitter(8);
            boolean right = random.nextBoolean();
            double speed = (60 + random.nextDouble() * 100) * (right ? 1 : -1);
            // Start somewhere along the way so everyone is in the picture for most of the scene.
            double startX = right ? -60 + random.nextDouble() * 500 : WIDTH + 60 - random.nextDouble() * 500;
            walkers.add(walker(i + 1, startX, footY, speed, 1e9));
        }
    }

    private Walker walker(long id, double startX, double footY, double speed, double turnAt) {
        // Perspective: people further up the picture are further away and smaller.
        double height = 0.5 * footY;
        return new Walker(
                id,
                startX,
                footY,
                height,
                speed,
                turnAt,
                1.6 + random.nextDouble() * 0.4,
                random.nextDouble() * 2 * Math.PI);
    }

    /** Calibrated perspective: 55 px tall at the top of the walkable area (y 250), 125 px at the bottom (y 560). */
    private static double bodyHeight(double footY) {
        return 0.225 * footY;
    }

    /** A calibrated walking speed in body heights per second, either direction: most walk, one in five dawdles. */
    private double speed() {
        double speed = random.nextDouble() < 0.2 ? 0.1 + random.nextDouble() * 0.15 : 0.3 + random.nextDouble() * 0.5;
        return random.nextBoolean() ? speed : -speed;
    }

    /**
     * How far real walkers drift ahead of and behind a steady pace, in body heights, over {@link #wanderHz()}: their
     * velocity changes by about 0.16 body heights/s over a second (median; 0.5 at the 90th percentile), as measured on
     * the sample camera.
     */
    private double wander() {
        return 0.1 + random.nextDouble() * 0.3;
    }

    private double wanderHz() {
        return 1 / (5 + random.nextDouble() * 7);
    }

    private double stepHz() {
        return 1.6 + random.nextDouble() * 0.4;
    }

    private double phase() {
        return random.nextDouble() * 2 * Math.PI;
    }

    /**
     * A calibrated walker at {@code footY} moving at {@code speed} body heights per second that enters the picture
     * at {@code enterS} seconds (already inside at the start when negative) from the side it walks away from.
     */
    private void entering(List<Walker> walkers, long id, Conditions c, double footY, double speed, double enterS) {
        double height = bodyHeight(footY);
        double pixelsPerSecond = speed * height;
        double edge = speed > 0 ? -0.2 * height : c.width() + 0.2 * height;
        walkers.add(new Walker(
                id, edge - pixelsPerSecond * enterS, footY, height, pixelsPerSecond, 1e9, stepHz(), phase()));
    }

    private double jitter(double amplitude) {
        return (random.nextDouble() * 2 - 1) * amplitude;
    }

    /** Posed capture times in seconds: every frame at {@link #FPS}, or irregular intervals around the posed rate. */
    private List<Double> frameTimes(Conditions c, double seconds) {
        List<Double> times = new ArrayList<>();
        if (c.posedRate() >= FPS) {
            for (int f = 0; f < Math.round(seconds * FPS); f++) {
                times.add(f / FPS);
            }
            return times;
        }
        return PosedTimes.irregular(random, c.posedRate(), c.gapSpread(), c.longGapShare(), seconds);
    }

    private Scene render(List<Walker> walkers, List<Double> times, Conditions c) {
        String video = scenario.cliName() + "-" + seed;
        List<Clutter> clutter = new ArrayList<>();
        for (int i = 0; i < c.clutter(); i++) {
            double h = 25 + random.nextDouble() * 12;
            clutter.add(new Clutter(
                    40 + random.nextDouble() * (c.width() - 80),
                    0.3 * c.height() + random.nextDouble() * 0.5 * c.height(),
                    h,
                    h * (0.5 + random.nextDouble() * 0.6)));
        }
        // Each person scores about the same all along (size, clothes, contrast): a base score per person.
        double[] baseScores = new double[walkers.size()];
        for (int w = 0; c.modelScores() && w < baseScores.length; w++) {
            baseScores[w] = 0.28 + random.nextDouble() * 0.18;
        }
        float[][] clothing = new float[walkers.size()][];
        for (int w = 0; w < walkers.size(); w++) {
            clothing[w] = ClothingColours.wear(colours);
        }
        float[][] clutterClothing = new float[clutter.size()][];
        for (int i = 0; i < clutter.size(); i++) {
            clutterClothing[i] = ClothingColours.wear(colours);
        }
        ArrayNode images = JSON.createArrayNode();
        ArrayNode gtAnnotations = JSON.createArrayNode();
        ArrayNode detAnnotations = JSON.createArrayNode();
        long annotationId = 1;
        for (int f = 0; f < times.size(); f++) {
            double t = times.get(f);
            long imageId = f + 1;
            ObjectNode image = images.addObject();
            image.put("id", imageId)
                    .put("vid_id", video)
                    .put("frame_id", imageId)
                    .put("file_name", "images/" + scenario.cliName() + "/" + seed + "/" + String.format("%06d.jpg", f))
                    .put("nframes", times.size())
                    .put("is_labeled", true)
                    .put("timestamp_ms", Math.round(t * 1000));
            List<ObjectNode> detections = new ArrayList<>();
            for (int w = 0; w < walkers.size(); w++) {
                Walker walker = walkers.get(w);
                double[][] points = walker.keypoints(t);
                boolean[] visible = visibility(walker, points, walkers, t, c);
                int visibleCount = 0;
                for (boolean v : visible) {
                    visibleCount += v ? 1 : 0;
                }
                if (visibleCount == 0) {
                    continue;
                }
                gtAnnotations.add(groundTruth(annotationId++, imageId, walker, points, visible, t, c));
                double missRate = c.missRate();
                Cover cover = cover(walker, walkers, t);
                if (c.coveredMissRates() != null) {
                    double covered = cover.share();
                    if (covered >= 0.05) {
                        missRate = c.coveredMissRates()[covered < 0.25 ? 0 : covered < 0.5 ? 1 : 2];
                    }
                }
                if (visibleCount >= 6 && random.nextDouble() >= missRate) {
                    double visibleFraction = (double) visibleCount / CocoKeypoints.COUNT;
                    ObjectNode detection =
                            detection(imageId, walker, t, points, visible, c, baseScores[w], visibleFraction);
                    float[] nearer = cover.by() < 0 ? null : clothing[cover.by()];
                    PoseTrackData.putAppearance(
                            detection,
                            ClothingColours.observe(
                                    clothing[w],
                                    nearer,
                                    cover.share(),
                                    torsoSeen(visible),
                                    legsSeen(visible),
                                    colours));
                    detections.add(detection);
                }
            }
            for (int i = 0; i < clutter.size(); i++) {
                if (random.nextDouble() < 0.85) {
                    ObjectNode detection = clutter(imageId, clutter.get(i));
                    PoseTrackData.putAppearance(
                            detection, ClothingColours.observe(clutterClothing[i], null, 0, true, true, colours));
                    detections.add(detection);
                }
            }
            int falsePositives = poisson(c.falsePositives());
            for (int i = 0; i < falsePositives; i++) {
                ObjectNode detection = falsePositive(imageId, c);
                PoseTrackData.putAppearance(
                        detection,
                        ClothingColours.observe(ClothingColours.wear(colours), null, 0, true, true, colours));
                detections.add(detection);
            }
            Collections.shuffle(detections, random);
            for (ObjectNode detection : detections) {
                detection.put("id", annotationId++);
                detAnnotations.add(detection);
            }
        }
        ObjectNode gt = document(images, gtAnnotations);
        ObjectNode det = document(images.deepCopy(), detAnnotations);
        return new Scene(
                PoseTrackData.of(gt, video + " ground truth", FPS), PoseTrackData.of(det, video + " detections", FPS));
    }

    private static boolean[] visibility(Walker self, double[][] points, List<Walker> walkers, double t, Conditions c) {
        boolean[] visible = new boolean[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double x = points[k][0];
            double y = points[k][1];
            visible[k] = x >= 0 && x < c.width() && y >= 0 && y < c.height();
            for (Walker other : walkers) {
                if (other != self && other.footY() > self.footY() && visible[k]) {
                    double[] box = other.box(t);
                    double shrink = 0.15 * (box[2] - box[0]);
                    if (x >= box[0] + shrink && x <= box[2] - shrink && y >= box[1] && y <= box[3]) {
                        visible[k] = false;
                    }
                }
            }
        }
        return visible;
    }

    /** Share of the walker's box covered by the boxes of nearer people (the largest single overlap), and by whom. */
    private static Cover cover(Walker self, List<Walker> walkers, double t) {
        double[] a = self.box(t);
        double area = (a[2] - a[0]) * (a[3] - a[1]);
        double most = 0;
        int by = -1;
        for (int w = 0; w < walkers.size(); w++) {
            Walker other = walkers.get(w);
            if (other != self && other.footY() > self.footY()) {
                double[] b = other.box(t);
                double ow = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
                double oh = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
                if (ow > 0 && oh > 0 && ow * oh / area > most) {
                    most = ow * oh / area;
                    by = w;
                }
            }
        }
        return new Cover(most, by);
    }

    /** Whether the worker would sample the torso's colours: both shoulders and both hips seen. */
    private static boolean torsoSeen(boolean[] visible) {
        return visible[5] && visible[6] && visible[11] && visible[12];
    }

    /** Whether it would sample the legs': some thigh or shin with both its joints seen. */
    private static boolean legsSeen(boolean[] visible) {
        return (visible[11] && visible[13])
                || (visible[13] && visible[15])
                || (visible[12] && visible[14])
                || (visible[14] && visible[16]);
    }

    private ObjectNode groundTruth(
            long id, long imageId, Walker w, double[][] points, boolean[] visible, double t, Conditions c) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation
                .put("id", id)
                .put("image_id", imageId)
                .put("track_id", w.id())
                .put("category_id", 1);
        ArrayNode keypoints = annotation.putArray("keypoints");
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints
                    .add(visible[k] ? round(points[k][0]) : 0)
                    .add(visible[k] ? round(points[k][1]) : 0)
                    .add(visible[k] ? 1 : 0);
        }
        double[] box = clip(w.box(t), c);
        annotation
                .putArray("bbox")
                .add(round(box[0]))
                .add(round(box[1]))
                .add(round(box[2] - box[0]))
                .add(round(box[3] - box[1]));
        // A head box consistent with HeadSize's body-height rule, centred between the ears and the nose.
        double side = w.height() / HeadSize.HEADS_PER_BODY;
        double hx = points[0][0] - side / 2;
        double hy = points[0][1] - side * 0.6;
        annotation
                .putArray("bbox_head")
                .add(round(hx))
                .add(round(hy))
                .add(round(side))
                .add(round(side));
        assert Math.abs(0.6 * Math.hypot(side, side) - HeadSize.fromBodyHeight(w.height())) < 1e-6;
        return annotation;
    }

    private static double[] clip(double[] box, Conditions c) {
        double x1 = Math.max(0, box[0]);
        double y1 = Math.max(0, box[1]);
        return new double[] {
            x1, y1, Math.max(x1, Math.min(c.width(), box[2])), Math.max(y1, Math.min(c.height(), box[3]))
        };
    }

    private ObjectNode detection(
            long imageId,
            Walker walker,
            double t,
            double[][] points,
            boolean[] visible,
            Conditions c,
            double baseScore,
            double visibleFraction) {
        double height = walker.height();
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double sd = (visible[k] ? c.jitter() : 3 * c.jitter()) * height;
            if (visible[k] && c.outlierShare() > 0 && random.nextDouble() < c.outlierShare()) {
                sd = c.outlierJitter() * height;
            }
            x[k] = points[k][0] + random.nextGaussian() * sd;
            y[k] = points[k][1] + random.nextGaussian() * sd;
            if (c.modelScores()) {
                s[k] = visible[k] ? 0.3 + random.nextDouble() * 0.65 : 0.02 + random.nextDouble() * 0.23;
            } else {
                s[k] = visible[k] ? 0.6 + random.nextDouble() * 0.35 : 0.02 + random.nextDouble() * 0.23;
            }
        }
        double score = c.modelScores()
                ? Math.max(0, baseScore + random.nextGaussian() * 0.03) * (0.3 + 0.7 * visibleFraction)
                : (0.85 + random.nextDouble() * 0.15) * (0.2 + 0.8 * visibleFraction);
        if (c.boxJitter() <= 0) {
            return poseAnnotation(imageId, x, y, s, score, 0.05 * height);
        }
        double[] box = clip(walker.box(t), c);
        double e = c.boxJitter() * height;
        return annotation(
                imageId,
                x,
                y,
                s,
                score,
                box[0] + random.nextGaussian() * e,
                box[1] + random.nextGaussian() * e,
                box[2] + random.nextGaussian() * e,
                box[3] + random.nextGaussian() * e);
    }

    /** Clutter as the models see it: a small box at its place with scattered, unsure keypoints. */
    private ObjectNode clutter(long imageId, Clutter thing) {
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            x[k] = thing.cx() + (random.nextDouble() - 0.5) * thing.width();
            y[k] = thing.footY() - random.nextDouble() * thing.height();
            s[k] = 0.05 + random.nextDouble() * 0.45;
        }
        double half = thing.width() / 2;
        return annotation(
                imageId,
                x,
                y,
                s,
                0.06 + random.nextDouble() * 0.07,
                thing.cx() - half + random.nextGaussian(),
                thing.footY() - thing.height() + random.nextGaussian(),
                thing.cx() + half + random.nextGaussian(),
                thing.footY() + random.nextGaussian());
    }

    private ObjectNode falsePositive(long imageId, Conditions c) {
        boolean model = c.modelScores();
        double height = model ? 30 + random.nextDouble() * 70 : 150 + random.nextDouble() * 200;
        Walker ghost = new Walker(
                0,
                100 + random.nextDouble() * (c.width() - 200),
                model ? 0.4 * c.height() + random.nextDouble() * 0.55 * c.height() : 300 + random.nextDouble() * 400,
                height,
                0,
                1e9,
                1.8,
                random.nextDouble() * 6);
        double[][] points = ghost.keypoints(0);
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            x[k] = points[k][0] + random.nextGaussian() * 0.05 * height;
            y[k] = points[k][1] + random.nextGaussian() * 0.05 * height;
            s[k] = 0.3 + random.nextDouble() * 0.5;
        }
        double score = model ? 0.05 + random.nextDouble() * 0.15 : 0.3 + random.nextDouble() * 0.45;
        return poseAnnotation(imageId, x, y, s, score, 0.05 * height);
    }

    /** A detection whose box is made from its confident keypoints, padded. */
    private static ObjectNode poseAnnotation(
            long imageId, double[] x, double[] y, double[] s, double score, double pad) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (s[k] >= 0.3) {
                minX = Math.min(minX, x[k]);
                minY = Math.min(minY, y[k]);
                maxX = Math.max(maxX, x[k]);
                maxY = Math.max(maxY, y[k]);
            }
        }
        return annotation(imageId, x, y, s, score, minX - pad, minY - 2 * pad, maxX + pad, maxY + pad);
    }

    private static ObjectNode annotation(
            long imageId,
            double[] x,
            double[] y,
            double[] s,
            double score,
            double x1,
            double y1,
            double x2,
            double y2) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation.put("image_id", imageId).put("category_id", 1);
        ArrayNode keypoints = annotation.putArray("keypoints");
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints.add(round(x[k])).add(round(y[k])).add(round(s[k]));
        }
        annotation
                .putArray("bbox")
                .add(round(x1))
                .add(round(y1))
                .add(round(Math.max(1, x2 - x1)))
                .add(round(Math.max(1, y2 - y1)));
        annotation.put("score", round(score));
        return annotation;
    }

    private static ObjectNode document(ArrayNode images, ArrayNode annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.set("images", images);
        root.set("annotations", annotations);
        ObjectNode category = root.putArray("categories").addObject();
        category.put("id", 1).put("name", "person").put("supercategory", "person");
        ArrayNode names = category.putArray("keypoints");
        CocoKeypoints.NAMES.forEach(names::add);
        ArrayNode skeleton = category.putArray("skeleton");
        for (List<Integer> limb : CocoKeypoints.LIMBS) {
            skeleton.addArray().add(limb.get(0) + 1).add(limb.get(1) + 1);
        }
        return root;
    }

    private int poisson(double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
