package io.posestream.tracker.streams;

import io.posestream.avro.Box;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.CocoKeypoints;
import io.posestream.tracker.core.Bounds;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.TrackedPose;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the Avro contract and the tracking core. */
final class PoseEvents {
    private PoseEvents() {}

    /**
     * The core pose of an Avro person; refuses one without exactly 17 keypoints. Colours of the wrong length are left
     * out (the pose is still good; {@link #badColours} says so).
     */
    static Pose pose(Person person) {
        List<Keypoint> keypoints = person.getKeypoints();
        if (keypoints.size() != CocoKeypoints.COUNT) {
            throw new IllegalArgumentException(
                    "person has " + keypoints.size() + " keypoints, expected " + CocoKeypoints.COUNT + " (COCO order)");
        }
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            Keypoint kp = keypoints.get(k);
            x[k] = kp.getX();
            y[k] = kp.getY();
            s[k] = kp.getScore();
        }
        Box box = person.getBox();
        return new Pose(
                x,
                y,
                s,
                new Bounds(box.getX1(), box.getY1(), box.getX2(), box.getY2()),
                person.getScore(),
                badColours(person) == null ? AppearanceDescriptor.of(person.getAppearance()) : null);
    }

    /** What is wrong with a person's colour descriptor, or null when it is absent or good. */
    static String badColours(Person person) {
        List<Float> colours = person.getAppearance();
        return colours == null || colours.size() == AppearanceDescriptor.LENGTH
                ? null
                : "appearance has " + colours.size() + " values, expected " + AppearanceDescriptor.LENGTH
                        + "; the person is tracked without colours";
    }

    static PoseEvent event(PoseFrame frame, List<TrackedPose> tracks) {
        List<TrackedPerson> persons = new ArrayList<>(tracks.size());
        for (TrackedPose track : tracks) {
            persons.add(person(track));
        }
        return PoseEvent.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSeq(frame.getSeq())
                .setCaptureTime(frame.getCaptureTime())
                .setWidth(frame.getWidth())
                .setHeight(frame.getHeight())
                .setFrameStatus(frame.getStatus())
                .setPersons(persons)
                .build();
    }

    private static TrackedPerson person(TrackedPose track) {
        // Published keypoints are the smoothed ones; the box and scores are the detection's.
        Pose pose = track.smoothed();
        List<Keypoint> keypoints = new ArrayList<>(CocoKeypoints.COUNT);
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints.add(new Keypoint((float) pose.x(k), (float) pose.y(k), (float) pose.score(k)));
        }
        Bounds b = pose.box();
        TrackState state = switch (track.phase()) {
            case TENTATIVE -> TrackState.TENTATIVE;
            case CONFIRMED -> TrackState.CONFIRMED;
            case LOST -> TrackState.LOST;
            case REMOVED -> TrackState.REMOVED;
            case DORMANT ->
                throw new IllegalStateException(
                        "track " + track.trackId() + " is dormant; dormant tracks are not published");
        };
        return TrackedPerson.newBuilder()
                .setTrackId(track.trackId())
                .setState(state)
                .setBox(new Box((float) b.x1(), (float) b.y1(), (float) b.x2(), (float) b.y2()))
                .setScore(track.matched() ? (float) pose.personScore() : 0f)
                .setKeypoints(keypoints)
                .setVelocity(new Velocity((float) track.vx(), (float) track.vy()))
                .setAge(track.age())
                .setDetectionIndex(track.matched() ? track.detection() : null)
                .build();
    }
}
