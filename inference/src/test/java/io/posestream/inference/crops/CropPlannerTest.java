package io.posestream.inference.crops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.inference.model.Detection;
import io.posestream.inference.postprocess.DecodedPose;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crop planner's decisions on hand-made frames: a 768x576 camera, 64x48 thumbnails (12x12 pixel cells). */
class CropPlannerTest {
    private static final int W = 768;
    private static final int H = 576;
    private static final String CAM = "cam1";
    /** Every 4th frame, at least every 2 s, 6 keypoints to stay strong, 25 grey levels, 0.4% of the cells. */
    private static final CropPlanner.Settings SETTINGS = new CropPlanner.Settings(4, 2000, 0.2f, 6, 25, 0.004, 0.3);

    private final CropPlanner planner = new CropPlanner(SETTINGS);

    /** A person's 17 keypoints spread over {@code box}, the first {@code confident} of them confident. */
    private static DecodedPose pose(Detection box, int confident) {
        float[] x = new float[17];
        float[] y = new float[17];
        float[] s = new float[17];
        for (int k = 0; k < 17; k++) {
            x[k] = box.x1() + (box.x2() - box.x1()) * (0.2f + 0.6f * ((k * 7) % 17) / 16f);
            y[k] = box.y1() + (box.y2() - box.y1()) * (0.05f + 0.9f * k / 16f);
            s[k] = k < confident ? 0.8f : 0.05f;
        }
        return new DecodedPose(x, y, s);
    }

    private static Detection box(float x1, float y1, float x2, float y2) {
        return new Detection(x1, y1, x2, y2, 0.6f);
    }

    private static Detection moved(Detection box, float dx, float dy) {
        return new Detection(box.x1() + dx, box.y1() + dy, box.x2() + dx, box.y2() + dy, box.score());
    }

    private static Thumbnail grey(int level) {
        byte[] cells = new byte[64 * 48];
        Arrays.fill(cells, (byte) level);
        return new Thumbnail(64, 48, cells);
    }

    /** {@code base} with the cells covering source pixels [x1,x2) x [y1,y2) set to {@code level}. */
    private static Thumbnail withBlock(Thumbnail base, int x1, int y1, int x2, int y2, int level) {
        byte[] cells = base.grey().clone();
        for (int cy = y1 / 12; cy < (y2 + 11) / 12; cy++) {
            for (int cx = x1 / 12; cx < (x2 + 11) / 12; cx++) {
                cells[cy * 64 + cx] = (byte) level;
            }
        }
        return new Thumbnail(64, 48, cells);
    }

    /** A detected frame with these persons (each with {@code confident} confident keypoints), committed. */
    private void detected(long time, Thumbnail picture, List<Detection> boxes, int confident) {
        CropPlan plan = planner.plan(CAM, time, W, H, picture);
        assertThat(plan.detects()).as("a detection is due at " + time + " ms").isTrue();
        planner.observe(
                CAM,
                time,
                W,
                H,
                plan,
                boxes.stream()
                        .map(b -> new CropPlanner.Observation(-1, b, pose(b, confident)))
                        .toList(),
                picture);
        planner.commit();
    }

    /**
     * A tracked frame at {@code time}: planned, each person posed where they now are ({@code now} by person number,
     * with {@code confident} confident keypoints), placed as the planner locates them, committed. Returns the plan.
     */
    private CropPlan.Track tracked(long time, Thumbnail picture, Map<Integer, Detection> now, int confident) {
        CropPlan plan = planner.plan(CAM, time, W, H, picture);
        assertThat(plan).as("tracked at " + time + " ms").isInstanceOf(CropPlan.Track.class);
        CropPlan.Track track = (CropPlan.Track) plan;
        List<CropPlanner.Observation> seen = new ArrayList<>();
        for (CropPlan.Region region : track.regions()) {
            DecodedPose pose = pose(now.get(region.person()), confident);
            seen.add(new CropPlanner.Observation(region.person(), planner.located(CAM, region, pose, time), pose));
        }
        planner.observe(CAM, time, W, H, plan, seen, picture);
        planner.commit();
        return track;
    }

    private static CropPlan.Reason reason(CropPlan plan) {
        assertThat(plan).isInstanceOf(CropPlan.Detect.class);
        return ((CropPlan.Detect) plan).reason();
    }

    @Test
    void aCameraWithoutStateIsDetectedThenCroppedWhereItsPersonsWere() {
        assertThat(reason(planner.plan(CAM, 0, W, H, grey(100)))).isEqualTo(CropPlan.Reason.NO_STATE);

        Detection person = box(100, 200, 140, 300);
        detected(0, grey(100), List.of(person), 17);
        CropPlan next = planner.plan(CAM, 200, W, H, grey(100));

        assertThat(next).isInstanceOf(CropPlan.Track.class);
        assertThat(((CropPlan.Track) next).regions())
                .extracting(CropPlan.Region::box)
                .as("not moving: where it was, with its detector score")
                .containsExactly(person);
    }

    @Test
    void theDetectorRunsOnEveryFourthFramePosedAndWhenTheLastDetectionIsTwoSecondsOld() {
        Detection person = box(100, 200, 140, 300);
        detected(0, grey(100), List.of(person), 17);
        for (long t = 100; t <= 300; t += 100) {
            tracked(t, grey(100), Map.of(0, person), 17);
        }
        assertThat(reason(planner.plan(CAM, 400, W, H, grey(100))))
                .as("the 4th frame after the detection")
                .isEqualTo(CropPlan.Reason.INTERVAL);

        CropPlanner sparse = new CropPlanner(SETTINGS);
        CropPlan first = sparse.plan(CAM, 0, W, H, grey(100));
        sparse.observe(CAM, 0, W, H, first, List.of(), grey(100));
        sparse.commit();
        assertThat(sparse.plan(CAM, 1999, W, H, grey(100))).isInstanceOf(CropPlan.Track.class);
        assertThat(reason(sparse.plan(CAM, 2000, W, H, grey(100))))
                .as("2 s after the detection")
                .isEqualTo(CropPlan.Reason.INTERVAL);
    }

    @Test
    void aWalkingPersonIsCroppedAheadByTheirSpeedAndPublishedWhereTheirKeypointsAre() {
        Detection at0 = box(100, 200, 140, 300);
        Detection at500 = moved(at0, 40, 0); // 80 px/s to the right: more than their width per frame
        detected(0, grey(100), List.of(at0), 17);
        detected(500, grey(200), List.of(at500), 17); // the lights changed: a detection
        Map<Integer, Detection> ids = planner.tracked(CAM);
        assertThat(ids)
                .as("the same person, matched by distance though the boxes do not overlap")
                .containsOnlyKeys(0);

        CropPlan.Track plan = tracked(1000, grey(200), Map.of(0, moved(at500, 40, 0)), 17);

        // Speed smoothed from 0 towards the 80 px/s measured: half of it, so 20 px ahead after 500 ms.
        assertThat(plan.regions().get(0).box().x1()).isCloseTo(at500.x1() + 20, within(0.5f));
        assertThat(planner.tracked(CAM).get(0).x1())
                .as("located by the keypoints, which moved 40 px")
                .isCloseTo(at500.x1() + 40, within(0.5f));
    }

    @Test
    void aPoseThatWeakensCallsForTheDetectorOnTheNextFrame() {
        Detection person = box(100, 200, 140, 300);
        detected(0, grey(100), List.of(person), 17);
        tracked(100, grey(100), Map.of(0, person), 3); // 3 confident keypoints where there were 17

        assertThat(reason(planner.plan(CAM, 200, W, H, grey(100)))).isEqualTo(CropPlan.Reason.WEAK_POSE);
    }

    @Test
    void aPersonWhoseLastPoseHadNoConfidentKeypointIsNotCroppedAgainUntilTheNextDetection() {
        Detection real = box(100, 200, 140, 300);
        Detection ghost = box(400, 100, 420, 130);
        CropPlan plan = planner.plan(CAM, 0, W, H, grey(100));
        planner.observe(
                CAM,
                0,
                W,
                H,
                plan,
                List.of(
                        new CropPlanner.Observation(-1, real, pose(real, 17)),
                        new CropPlanner.Observation(-1, ghost, pose(ghost, 0))),
                grey(100));
        planner.commit();

        CropPlan.Track next = tracked(100, withBlock(grey(100), 400, 100, 420, 130, 200), Map.of(0, real), 17);

        assertThat(next.regions()).extracting(CropPlan.Region::person).containsExactly(0);
        assertThat(planner.tracked(CAM))
                .as("kept, so its flicker is explained and the next detection can match it")
                .containsKeys(0, 1);
    }

    @Test
    void aFaintDetectionBesideAPersonIsNotCroppedAgainUntilTheNextDetection() {
        Detection person = box(100, 200, 140, 300);
        Detection bag = new Detection(400, 300, 420, 330, 0.35f);
        CropPlan plan = planner.plan(CAM, 0, W, H, grey(100));
        // The person scores 0.6 x 0.8; the bag 0.35 x 0.3, a fifth of that (as vtest.avi's bags score).
        DecodedPose bagPose = pose(bag, 17);
        java.util.Arrays.fill(bagPose.scores(), 0.3f);
        planner.observe(
                CAM,
                0,
                W,
                H,
                plan,
                List.of(
                        new CropPlanner.Observation(-1, person, pose(person, 17)),
                        new CropPlanner.Observation(-1, bag, bagPose)),
                grey(100));
        planner.commit();

        CropPlan.Track next = tracked(100, grey(100), Map.of(0, person), 17);

        assertThat(next.regions()).extracting(CropPlan.Region::person).containsExactly(0);
        assertThat(planner.tracked(CAM)).containsKeys(0, 1);
        // Alone, the same bag is the camera's best and is posed.
        CropPlanner alone = new CropPlanner(SETTINGS);
        alone.observe(
                CAM,
                0,
                W,
                H,
                alone.plan(CAM, 0, W, H, grey(100)),
                List.of(new CropPlanner.Observation(-1, bag, bagPose)),
                grey(100));
        alone.commit();
        assertThat(alone.plan(CAM, 100, W, H, grey(100))).isInstanceOf(CropPlan.Track.class);
        assertThat(((CropPlan.Track) alone.plan(CAM, 100, W, H, grey(100))).regions())
                .hasSize(1);
    }

    @Test
    void motionOutsideTheTrackedPersonsCallsForTheDetectorAndMotionInsideThemDoesNot() {
        Detection person = box(100, 200, 140, 300);
        detected(0, grey(100), List.of(person), 17);

        Thumbnail personMoved = withBlock(grey(100), 100, 200, 140, 300, 180);
        assertThat(planner.plan(CAM, 100, W, H, personMoved))
                .as("the change is the tracked person's own")
                .isInstanceOf(CropPlan.Track.class);

        Thumbnail someoneEnters = withBlock(grey(100), 700, 300, 740, 400, 180); // 4 x 9 = 36 cells > 12
        assertThat(reason(planner.plan(CAM, 100, W, H, someoneEnters))).isEqualTo(CropPlan.Reason.MOTION);

        Thumbnail noise = withBlock(grey(100), 700, 300, 724, 324, 180); // 4 cells < 0.4% of 3072
        assertThat(planner.plan(CAM, 100, W, H, noise)).isInstanceOf(CropPlan.Track.class);

        Thumbnail lightsOn = grey(200);
        assertThat(reason(planner.plan(CAM, 100, W, H, lightsOn))).isEqualTo(CropPlan.Reason.SCENE_CHANGE);
    }

    @Test
    void aPersonPredictedOutOfThePictureCallsForTheDetector() {
        detected(0, grey(100), List.of(box(660, 200, 720, 300)), 17);
        detected(500, grey(200), List.of(box(700, 200, 760, 300)), 17); // 80 px/s to the right, 40 after smoothing

        assertThat(planner.plan(CAM, 800, W, H, grey(200)))
                .as("12 px further: still mostly inside")
                .isInstanceOf(CropPlan.Track.class);
        assertThat(reason(planner.plan(CAM, 1999, W, H, grey(200))))
                .as("60 px further: nearly all past the right edge")
                .isEqualTo(CropPlan.Reason.LEFT_FRAME);
    }

    @Test
    void aTrackedPersonIsPublishedInsideTheFrame() {
        Detection atEdge = box(700, 200, 760, 300);
        detected(0, grey(100), List.of(atEdge), 17);
        CropPlan.Region region = ((CropPlan.Track) planner.plan(CAM, 100, W, H, grey(100)))
                .regions()
                .get(0);

        Detection located = planner.located(CAM, region, pose(moved(atEdge, 30, 0), 17), 100);

        assertThat(located.x2()).isEqualTo((float) W);
        assertThat(located.x1()).isCloseTo(730f, within(0.5f));
    }

    @Test
    void anAbortedBatchIsPlannedAgainFromTheSameStateAndAForgottenCameraStartsWithADetection() {
        Detection person = box(100, 200, 140, 300);
        detected(0, grey(100), List.of(person), 17);
        CropPlan before = planner.plan(CAM, 100, W, H, grey(100));

        // A batch observed but not committed: a weak pose that would call for a detection.
        planner.observe(
                CAM, 100, W, H, before, List.of(new CropPlanner.Observation(0, person, pose(person, 2))), grey(100));
        planner.rollback();

        assertThat(planner.plan(CAM, 100, W, H, grey(100))).isEqualTo(before);
        planner.forget(List.of(CAM));
        assertThat(reason(planner.plan(CAM, 100, W, H, grey(100)))).isEqualTo(CropPlan.Reason.NO_STATE);
        assertThat(planner.cameras()).isZero();
    }

    @Test
    void anOlderFrameOrAnotherSizeDoesNotFitTheState() {
        detected(1000, grey(100), List.of(box(100, 200, 140, 300)), 17);

        assertThat(reason(planner.plan(CAM, 900, W, H, grey(100)))).isEqualTo(CropPlan.Reason.STATE_MISMATCH);
        assertThat(reason(planner.plan(CAM, 1100, 1280, 720, grey(100)))).isEqualTo(CropPlan.Reason.STATE_MISMATCH);
    }

    @Test
    void withTrackingOffEveryFrameIsDetectedAndNothingIsKept() {
        CropPlanner off = new CropPlanner(CropPlanner.Settings.detectEveryFrame());
        for (long t = 0; t < 500; t += 100) {
            CropPlan plan = off.plan(CAM, t, W, H, null);
            assertThat(reason(plan)).isEqualTo(CropPlan.Reason.EVERY_FRAME);
            off.observe(CAM, t, W, H, plan, List.of(), null);
            off.commit();
        }
        assertThat(off.cameras()).isZero();
    }
}
