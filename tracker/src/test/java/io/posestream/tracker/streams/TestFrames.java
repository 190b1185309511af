package io.posestream.tracker.streams;

import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.avro.TrackedPerson;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.Poses;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PoseFrames for topology tests, and what the tracking core says should come out of them. */
final class TestFrames {
    static final long T0 = 1_700_000_000_000L;

    private TestFrames() {}

    static PoseFrame frame(String camera, long seq, long captureMs, FrameStatus status, List<Pose> poses) {
        List<Person> persons = new ArrayList<>();
        for (Pose pose : poses) {
            List<Keypoint> keypoints = new ArrayList<>();
            for (int k = 0; k < 17; k++) {
                keypoints.add(new Keypoint((float) pose.x(k), (float) pose.y(k), (float) pose.score(k)));
            }
            persons.add(new Person(
                    new Box(
                            (float) pose.box().x1(),
                            (float) pose.box().y1(),
                            (float) pose.box().x2(),
                            (float) pose.box().y2()),
                    (float) pose.personScore(),
                    keypoints,
                    AppearanceDescriptor.toList(pose.appearance())));
        }
        return PoseFrame.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(captureMs))
                .setProcessedTime(Instant.ofEpochMilli(captureMs + 30))
                .setWidth(1280)
                .setHeight(720)
                .setStatus(status)
                .setStatusDetail(status == FrameStatus.POSED ? null : "test")
                .setDetectorModel("test")
                .setPoseModel("test")
                .setTimings(new StageTimings(0f, 0f, 0f, 0f, 0f, 0f, 0f))
                .setPersons(persons)
                .build();
    }

    static PoseFrame posed(String camera, long seq, List<Pose> poses) {
        return frame(camera, seq, T0 + seq * 40, FrameStatus.POSED, poses);
    }

    /** Two people walking in opposite directions; camera {@code c} has its own offsets; every 9th frame misses one. */
    static PoseFrame walking(String camera, int c, long seq) {
        List<Pose> poses = new ArrayList<>();
        poses.add(Poses.person(100 + 50 * c + 5 * seq, 600));
        if (seq % 9 != 4) {
            poses.add(Poses.person(1100 - 30 * c - 4 * seq, 450, 220, 0.85));
        }
        return posed(camera, seq, poses);
    }

    /** (trackId, state) of each person of an event, for comparisons. */
    static List<String> tracks(PoseEvent event) {
        List<String> out = new ArrayList<>();
        for (TrackedPerson person : event.getPersons()) {
            out.add(person.getTrackId() + ":" + person.getState());
        }
        return out;
    }

    /** What the core makes of the frames, camera by camera, keyed "camera/seq" in input order. */
    static Map<String, List<String>> expected(List<PoseFrame> frames) {
        Map<String, CameraTracker> cameras = new LinkedHashMap<>();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (PoseFrame frame : frames) {
            CameraTracker camera =
                    cameras.computeIfAbsent(frame.getCameraId(), k -> new CameraTracker(TrackerConfig.DEFAULTS));
            List<Pose> poses = frame.getPersons().stream().map(PoseEvents::pose).toList();
            camera.accept(
                            frame.getSeq(),
                            frame.getCaptureTime().toEpochMilli(),
                            frame.getStatus() == FrameStatus.POSED,
                            poses)
                    .ifPresent(tracks -> {
                        List<String> list = new ArrayList<>();
                        for (TrackedPose t : tracks) {
                            list.add(t.trackId() + ":" + t.phase());
                        }
                        out.put(frame.getCameraId() + "/" + frame.getSeq(), list);
                    });
        }
        return out;
    }
}
