package io.posestream.analytics.streams;

import io.posestream.analytics.engine.CameraAnalytics;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pose events of people walking to and fro across a zone and a line, and what the engine says comes of them. */
final class TestEvents {
    static final long T0 = 1_700_000_000_000L;

    /** Per camera: a zone x 200..400 (y 300..600) holding more than 1 is a crowd, and a line at x = 500. */
    static String rules(int cameras) {
        StringBuilder text = new StringBuilder("cameras: [");
        for (int c = 0; c < cameras; c++) {
            text.append(c == 0 ? "" : ", ").append("cam-").append(c);
        }
        text.append("]\nrules:\n");
        for (int c = 0; c < cameras; c++) {
            text.append("  - {name: square, camera: cam-")
                    .append(c)
                    .append(", type: zone, polygon: [[200,300],[400,300],[400,600],[200,600]], overcrowding: 1}\n")
                    .append("  - {name: gate, camera: cam-")
                    .append(c)
                    .append(", type: line, units: normalized, line: [[0.5, 0], [0.5, 1]]}\n");
        }
        return text.toString();
    }

    private TestEvents() {}

    /** Three people of camera c walking back and forth along x at their own speeds; the second every 3rd frame LOST. */
    static PoseEvent walking(String camera, int c, long seq) {
        List<TrackedPerson> persons = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            double speed = 15 + 7 * p + 3 * c;
            double span = 800;
            double travelled = (50 + speed * seq) % (2 * span);
            double x = 100 + (travelled < span ? travelled : 2 * span - travelled);
            double y = 350 + 100 * p;
            TrackState state = p == 1 && seq % 3 == 2 ? TrackState.LOST : TrackState.CONFIRMED;
            persons.add(person(p + 1, state, x, y));
        }
        return PoseEvent.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(T0 + 100 * seq))
                .setWidth(1000)
                .setHeight(700)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(persons)
                .build();
    }

    /** A standing person with the feet at (x, y). */
    static TrackedPerson person(long id, TrackState state, double x, double y) {
        double[] up = {0.93, 0.95, 0.95, 0.94, 0.94, 0.82, 0.82, 0.65, 0.65, 0.5, 0.5, 0.52, 0.52, 0.27, 0.27, 0, 0};
        double[] dx = {0, -3, 3, -6, 6, -12, 12, -14, 14, -15, 15, -8, 8, -8, 8, -7, 7};
        List<Keypoint> keypoints = new ArrayList<>();
        for (int k = 0; k < 17; k++) {
            keypoints.add(new Keypoint((float) (x + dx[k]), (float) (y - 100 * up[k]), 0.9f));
        }
        return TrackedPerson.newBuilder()
                .setTrackId(id)
                .setState(state)
                .setBox(new Box((float) x - 20, (float) y - 100, (float) x + 20, (float) y + 5))
                .setScore(0.9f)
                .setKeypoints(keypoints)
                .setVelocity(new Velocity(0f, 0f))
                .setAge((int) Math.min(Integer.MAX_VALUE, id))
                .build();
    }

    /** What the engine raises for these events, camera by camera in order, as comparable strings. */
    static List<String> expected(List<PoseEvent> events, AnalyticsRules rules) {
        Map<String, CameraAnalytics> states = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (PoseEvent event : events) {
            CameraAnalytics state = states.computeIfAbsent(event.getCameraId(), c -> new CameraAnalytics());
            var outcome =
                    state.accept(ActivityRecords.view(event, (i, why) -> {}), rules.forCamera(event.getCameraId()));
            outcome.activities()
                    .forEach(a -> out.add(describe(ActivityRecords.event(ActivityRecords.eventView(event), a))));
        }
        return out;
    }

    static String describe(ActivityEvent e) {
        return e.getCameraId() + "/" + e.getSeq() + "/" + e.getRule() + "/" + e.getKind() + "/" + e.getTrackId() + "/"
                + e.getDirection() + "/" + e.getZoneCount();
    }
}
