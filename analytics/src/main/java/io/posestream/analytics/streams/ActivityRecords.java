package io.posestream.analytics.streams;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.FrameView;
import io.posestream.analytics.engine.TrackPhase;
import io.posestream.analytics.engine.TrackedBody;
import io.posestream.analytics.engine.ZoneOccupancy;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.ZoneCount;
import java.util.ArrayList;
import java.util.List;
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

    /** The activity as published, with the pose that triggered it when the person is in the event. */
    public static ActivityEvent event(PoseEvent source, Activity activity) {
        return ActivityEvent.newBuilder()
                .setCameraId(source.getCameraId())
                .setSeq(source.getSeq())
                .setTime(source.getCaptureTime())
                .setRule(activity.rule())
                .setKind(ActivityKind.valueOf(activity.type().name()))
                .setTrackId(activity.trackId())
                .setZoneCount(activity.zoneCount())
                .setDirection(activity.direction())
                .setDurationMs(activity.durationMs())
                .setPerson(activity.bodyIndex() >= 0 ? source.getPersons().get(activity.bodyIndex()) : null)
                .build();
    }

    public static ZoneCount count(PoseEvent source, ZoneOccupancy occupancy) {
        return ZoneCount.newBuilder()
                .setCameraId(source.getCameraId())
                .setZone(occupancy.zone())
                .setCount(occupancy.count())
                .setOvercrowded(occupancy.overcrowded())
                .setTime(source.getCaptureTime())
                .setSeq(source.getSeq())
                .build();
    }
}
