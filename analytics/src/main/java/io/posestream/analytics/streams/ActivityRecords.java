package io.posestream.analytics.streams;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.FrameView;
import io.posestream.analytics.engine.TrackPhase;
import io.posestream.analytics.engine.TrackedBody;
import io.posestream.analytics.engine.ZoneOccupancy;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.CocoKeypoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Between the Avro contract and the engine: pose events in, activity events and zone counts out. */
public final class ActivityRecords {
    private ActivityRecords() {}

    /** Key of a zone's count on the compacted counts topic. */
    public static String zoneKey(String camera, String zone) {
        return camera + "/" + zone;
    }

    /**
     * The engine's view of a pose event. A person the engine cannot use (not 17 keypoints) is left out and
     * reported to {@code skipped} with the reason, so one bad person costs the others nothing.
     */
    public static FrameView view(PoseEvent event, BiConsumer<Integer, String> skipped) {
        List<TrackedBody> bodies = new ArrayList<>(event.getPersons().size());
        for (int i = 0; i < event.getPersons().size(); i++) {
            TrackedPerson person = event.getPersons().get(i);
            List<Keypoint> keypoints = person.getKeypoints();
            float[] k = new float[keypoints.size() * 3];
            for (int j = 0; j < keypoints.size(); j++) {
                k[3 * j] = keypoints.get(j).getX();
                k[3 * j + 1] = keypoints.get(j).getY();
                k[3 * j + 2] = keypoints.get(j).getScore();
            }
            try {
                bodies.add(new TrackedBody(
                        i,
                        person.getTrackId(),
                        TrackPhase.valueOf(person.getState().name()),
                        person.getBox().getX1(),
                        person.getBox().getY1(),
                        person.getBox().getX2(),
                        person.getBox().getY2(),
                        k));
            } catch (IllegalArgumentException e) {
                skipped.accept(i, e.getMessage());
            }
        }
        return new FrameView(
                event.getSeq(),
                event.getCaptureTime().toEpochMilli(),
                event.getWidth(),
                event.getHeight(),
                event.getFrameStatus() == FrameStatus.POSED,
                bodies);
    }

    /** The analytics' view of a pose event decoded with the generated class (any writer schema). */
    static PoseEventView eventView(PoseEvent event) {
        Map<Integer, String> skipped = new HashMap<>();
        FrameView frame = view(event, skipped::put);
        List<PoseEventView.PersonDetails> details =
                new ArrayList<>(event.getPersons().size());
        for (TrackedPerson person : event.getPersons()) {
            details.add(new PoseEventView.PersonDetails(
                    person.getScore(),
                    person.getVelocity().getVx(),
                    person.getVelocity().getVy(),
                    person.getAge(),
                    person.getDetectionIndex()));
        }
        return new PoseEventView(event.getCameraId(), frame, details, skipped);
    }

    /** The activity as published, with the pose that triggered it when the person is in the event. */
    static ActivityEvent event(PoseEventView source, Activity activity) {
        return ActivityEvent.newBuilder()
                .setCameraId(source.cameraId())
                .setSeq(source.frame().seq())
                .setTime(Instant.ofEpochMilli(source.frame().timeMs()))
                .setRule(activity.rule())
                .setKind(ActivityKind.valueOf(activity.type().name()))
                .setTrackId(activity.trackId())
                .setZoneCount(activity.zoneCount())
                .setDirection(activity.direction())
                .setDurationMs(activity.durationMs())
                .setPerson(activity.bodyIndex() >= 0 ? person(source, activity.bodyIndex()) : null)
                .build();
    }

    /** The event's person at {@code index} as it came in (the engine's body plus the details it does not use). */
    private static TrackedPerson person(PoseEventView source, int index) {
        TrackedBody body = source.frame().bodies().stream()
                .filter(b -> b.index() == index)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no person " + index + " in the event"));
        PoseEventView.PersonDetails details = source.details().get(index);
        List<Keypoint> keypoints = new ArrayList<>(CocoKeypoints.COUNT);
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            keypoints.add(new Keypoint(body.x(k), body.y(k), body.keypoints()[3 * k + 2]));
        }
        return TrackedPerson.newBuilder()
                .setTrackId(body.trackId())
                .setState(TrackState.valueOf(body.phase().name()))
                .setBox(new Box(body.x1(), body.y1(), body.x2(), body.y2()))
                .setScore(details.score())
                .setKeypoints(keypoints)
                .setVelocity(new Velocity(details.vx(), details.vy()))
                .setAge(details.age())
                .setDetectionIndex(details.detectionIndex())
                .build();
    }

    static ZoneCount count(PoseEventView source, ZoneOccupancy occupancy) {
        return ZoneCount.newBuilder()
                .setCameraId(source.cameraId())
                .setZone(occupancy.zone())
                .setCount(occupancy.count())
                .setOvercrowded(occupancy.overcrowded())
                .setTime(Instant.ofEpochMilli(source.frame().timeMs()))
                .setSeq(source.frame().seq())
                .build();
    }
}
