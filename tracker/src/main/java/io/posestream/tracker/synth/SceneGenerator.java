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
 * Makes a synthetic scene: people (COCO-17 stick figures) walking through a 1280x720 picture at 25 fps, the
 * ground truth (PoseTrack-2018 style, with {@code track_id} and invisible joints at 0,0,0) and noisy detections
 * as a pose estimator would give them: jittered keypoints, low scores on hidden joints, lower person scores when
 * partly hidden, missed people, people hidden behind nearer ones, and false positives. The same scenario and seed
 * always give the same files.
 */
public final class SceneGenerator {
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 720;
    public static final double FPS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ground truth and detections of one scene. */
    public record Scene(PoseTrackData groundTruth, PoseTrackData detections) {}

    private record Noise(double jitter, double missRate, double falsePositivesPerFrame) {}

    private final Scenario scenario;
    private final long seed;
    private final Random random;

    public SceneGenerator(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        this.random = new Random(seed * 31 + scenario.ordinal());
    }

    public Scene generate() {
        List<Walker> walkers = new ArrayList<>();
        Noise base = new Noise(0.01, 0.05, 0.05);
        Noise noise = base;
        int frames = 150;
        switch (scenario) {
            case WALKING -> lanes(walkers, 4);
            case CROSSING -> {
                frames = 175;
                double meet = 600 + jitter(60);
                walkers.add(walker(1, meet - 420, 500, 150 + jitter(15), 1e9));
                walkers.add(walker(2, meet + 420, 512, -150 + jitter(15), 1e9));
                walkers.add(walker(3, meet - 330 + jitter(40), 650, 120 + jitter(15), 1e9));
                walkers.add(walker(4, meet + 330 + jitter(40), 662, -120 + jitter(15), 1e9));
            }
            case OCCLUSION -> {
                frames = 200;
                // B overtakes A from behind at 25 px/s: hidden (too few joints to detect) for about a second.
                double startA = 450 + jitter(40);
                walkers.add(new Walker(1, startA, 690, 400, 60, 1e9, 1.6, random.nextDouble() * 6));
                walkers.add(new Walker(2, startA - 90, 570, 300, 85 + jitter(3), 1e9, 1.8, random.nextDouble() * 6));
                walkers.add(walker(3, -40, 420, 110 + jitter(20), 1e9));
                walkers.add(walker(4, 1320, 450, -100 + jitter(20), 1e9));
            }
            case REENTRY -> {
                frames = 275;
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
                noise = new Noise(base.jitter(), 0.3, base.falsePositivesPerFrame());
            }
            case JITTER -> {
                lanes(walkers, 4);
                noise = new Noise(0.035, base.missRate(), base.falsePositivesPerFrame());
            }
            case FALSE_POSITIVES -> {
                lanes(walkers, 4);
                noise = new Noise(base.jitter(), base.missRate(), 1.0);
            }
            case CROWD -> lanes(walkers, 15);
        }
        return render(walkers, frames, noise);
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

    private double jitter(double amplitude) {
        return (random.nextDouble() * 2 - 1) * amplitude;
    }

    private Scene render(List<Walker> walkers, int frames, Noise noise) {
        String video = scenario.cliName() + "-" + seed;
        ArrayNode images = JSON.createArrayNode();
        ArrayNode gtAnnotations = JSON.createArrayNode();
        ArrayNode detAnnotations = JSON.createArrayNode();
        long annotationId = 1;
        for (int f = 0; f < frames; f++) {
            double t = f / FPS;
            long imageId = f + 1;
            ObjectNode image = images.addObject();
            image.put("id", imageId)
                    .put("vid_id", video)
                    .put("frame_id", imageId)
                    .put("file_name", "images/" + scenario.cliName() + "/" + seed + "/" + String.format("%06d.jpg", f))
                    .put("nframes", frames)
                    .put("is_labeled", true)
                    .put("timestamp_ms", Math.round(t * 1000));
            List<ObjectNode> detections = new ArrayList<>();
            for (Walker w : walkers) {
                double[][] points = w.keypoints(t);
                boolean[] visible = visibility(w, points, walkers, t);
                int visibleCount = 0;
                for (boolean v : visible) {
                    visibleCount += v ? 1 : 0;
                }
                if (visibleCount == 0) {
                    continue;
                }
                gtAnnotations.add(groundTruth(annotationId++, imageId, w, points, visible, t));
                if (visibleCount >= 6 && random.nextDouble() >= noise.missRate()) {
                    detections.add(detection(
                            imageId,
                            w.height(),
                            points,
                            visible,
                            noise.jitter(),
                            (double) visibleCount / CocoKeypoints.COUNT));
                }
            }
            int falsePositives = poisson(noise.falsePositivesPerFrame());
            for (int i = 0; i < falsePositives; i++) {
                detections.add(falsePositive(imageId));
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

    private static boolean[] visibility(Walker self, double[][] points, List<Walker> walkers, double t) {
        boolean[] visible = new boolean[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double x = points[k][0];
            double y = points[k][1];
            visible[k] = x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT;
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

    private ObjectNode groundTruth(long id, long imageId, Walker w, double[][] points, boolean[] visible, double t) {
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
        double[] box = w.box(t);
        double x1 = Math.max(0, box[0]);
        double y1 = Math.max(0, box[1]);
        double x2 = Math.min(WIDTH, box[2]);
        double y2 = Math.min(HEIGHT, box[3]);
        annotation
                .putArray("bbox")
                .add(round(x1))
                .add(round(y1))
                .add(round(Math.max(0, x2 - x1)))
                .add(round(Math.max(0, y2 - y1)));
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

    private ObjectNode detection(
            long imageId, double height, double[][] points, boolean[] visible, double jitter, double visibleFraction) {
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double sd = (visible[k] ? jitter : 3 * jitter) * height;
            x[k] = points[k][0] + random.nextGaussian() * sd;
            y[k] = points[k][1] + random.nextGaussian() * sd;
            s[k] = visible[k] ? 0.6 + random.nextDouble() * 0.35 : 0.02 + random.nextDouble() * 0.23;
        }
        double score = (0.85 + random.nextDouble() * 0.15) * (0.2 + 0.8 * visibleFraction);
        return poseAnnotation(imageId, x, y, s, score, 0.05 * height);
    }

    private ObjectNode falsePositive(long imageId) {
        double height = 150 + random.nextDouble() * 200;
        Walker ghost = new Walker(
                0,
                100 + random.nextDouble() * (WIDTH - 200),
                300 + random.nextDouble() * 400,
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
        return poseAnnotation(imageId, x, y, s, 0.3 + random.nextDouble() * 0.45, 0.05 * height);
    }

    private static ObjectNode poseAnnotation(
            long imageId, double[] x, double[] y, double[] s, double score, double pad) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation.put("image_id", imageId).put("category_id", 1);
        ArrayNode keypoints = annotation.putArray("keypoints");
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints.add(round(x[k])).add(round(y[k])).add(round(s[k]));
            if (s[k] >= 0.3) {
                minX = Math.min(minX, x[k]);
                minY = Math.min(minY, y[k]);
                maxX = Math.max(maxX, x[k]);
                maxY = Math.max(maxY, y[k]);
            }
        }
        minX -= pad;
        maxX += pad;
        minY -= 2 * pad;
        maxY += pad;
        annotation
                .putArray("bbox")
                .add(round(minX))
                .add(round(minY))
                .add(round(maxX - minX))
                .add(round(maxY - minY));
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
