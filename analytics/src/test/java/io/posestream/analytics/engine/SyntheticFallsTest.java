package io.posestream.analytics.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.analytics.rules.CameraRules;
import io.posestream.analytics.rules.FallRule;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.synth.Scenario;
import io.posestream.tracker.synth.SceneGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fall rule on {@code track synth} scenes, through the real tracker: every synthetic fall is reported within
 * 2 s of the person being down, and people who only walk raise none.
 */
class SyntheticFallsTest {
    private static final CameraRules RULES = new CameraRules("synth", List.of(FallRule.withDefaults("falls")));

    @Test
    void everySyntheticFallIsReportedWithinTwoSecondsOfThePersonBeingDown() {
        for (long seed = 1; seed <= 5; seed++) {
            List<long[]> falls = falls(Scenario.FALLS, seed);
            assertThat(falls)
                    .as("seed %d: (time, track) of each fall", seed)
                    .hasSize(SceneGenerator.FALL_TIMES_S.size());
            for (int i = 0; i < falls.size(); i++) {
                long downMs = Math.round(1000 * (SceneGenerator.FALL_TIMES_S.get(i) + SceneGenerator.FALL_SECONDS));
                if (Boolean.getBoolean("printfalls")) {
                    System.out.println("LATENCY seed " + seed + " fall " + i + " " + (falls.get(i)[0] - downMs));
                }
                assertThat(falls.get(i)[0]).as("seed %d, fall %d", seed, i).isBetween(downMs, downMs + 2000);
            }
            assertThat(falls.get(0)[1]).isNotEqualTo(falls.get(1)[1]);
        }
    }

    @Test
    void walkingCrowdsRaiseNoFalls() {
        for (Scenario scenario : List.of(Scenario.WALKING, Scenario.CROWD, Scenario.STREET_CROWD, Scenario.JITTER)) {
            for (long seed = 1; seed <= 3; seed++) {
                assertThat(falls(scenario, seed))
                        .as("%s seed %d", scenario, seed)
                        .isEmpty();
            }
        }
    }

    /** (capture time in ms, track id) of each FALL the engine raises on the scene's tracked detections. */
    private static List<long[]> falls(Scenario scenario, long seed) {
        PoseTrackData detections = new SceneGenerator(scenario, seed).generate().detections();
        List<long[]> falls = new ArrayList<>();
        for (List<PoseTrackData.FrameRecord> video : detections.videos().values()) {
            CameraTracker tracker = new CameraTracker(TrackerConfig.DEFAULTS);
            CameraAnalytics analytics = new CameraAnalytics();
            long seq = 0;
            for (PoseTrackData.FrameRecord frame : video) {
                List<Pose> poses = new ArrayList<>();
                for (int a = 0; a < frame.annotations().size(); a++) {
                    poses.add(PoseTrackData.pose(frame.annotations().get(a), detections.where(frame, a)));
                }
                List<TrackedPose> tracks =
                        tracker.accept(seq++, frame.timestampMs(), true, poses).orElseThrow();
                List<TrackedBody> bodies = new ArrayList<>();
                for (TrackedPose track : tracks) {
                    bodies.add(body(bodies.size(), track));
                }
                FrameView view = new FrameView(
                        seq, frame.timestampMs(), SceneGenerator.WIDTH, SceneGenerator.HEIGHT, true, bodies);
                for (Activity activity : analytics.accept(view, RULES).activities()) {
                    falls.add(new long[] {frame.timestampMs(), activity.trackId()});
                }
            }
        }
        return falls;
    }

    /** A tracked pose as the tracker publishes it (smoothed keypoints), as the engine sees it. */
    private static TrackedBody body(int index, TrackedPose track) {
        Pose pose = track.smoothed();
        float[] k = new float[51];
        for (int i = 0; i < 17; i++) {
            k[3 * i] = (float) pose.x(i);
            k[3 * i + 1] = (float) pose.y(i);
            k[3 * i + 2] = (float) pose.score(i);
        }
        return new TrackedBody(
                index,
                track.trackId(),
                TrackPhase.valueOf(track.phase().name()),
                (float) pose.box().x1(),
                (float) pose.box().y1(),
                (float) pose.box().x2(),
                (float) pose.box().y2(),
                k);
    }
}
