package io.posestream.schemas;

import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.Person;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.StageTimings;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Records with distinct, seed-dependent values in every field, so a lost or swapped field shows. */
final class SampleRecords {
    private SampleRecords() {}

    static Frame frame(long seq, int imageBytes) {
        byte[] image = new byte[imageBytes];
        new Random(seq).nextBytes(image);
        return Frame.newBuilder()
                .setCameraId("cam-" + (seq % 3))
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_764_000_000_000L + seq * 100))
                .setPts(seq * 100_000 + 7)
                .setWidth(768)
                .setHeight(576)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .build();
    }

    static PoseFrame poseFrame(long seq, int persons) {
        Random random = new Random(seq);
        List<Person> people = new ArrayList<>();
        for (int p = 0; p < persons; p++) {
            people.add(Person.newBuilder()
                    .setBox(box(random))
                    .setScore(random.nextFloat())
                    .setKeypoints(keypoints(random))
                    .build());
        }
        return PoseFrame.newBuilder()
                .setCameraId("cam-" + (seq % 3))
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_764_000_000_000L + seq * 100))
                .setProcessedTime(Instant.ofEpochMilli(1_764_000_000_050L + seq * 100))
                .setWidth(1920)
                .setHeight(1080)
                .setStatus(seq % 5 == 4 ? FrameStatus.UNDECODABLE : FrameStatus.POSED)
                .setStatusDetail(seq % 5 == 4 ? "not a JPEG: bad SOI marker" : null)
                .setDetectorModel("centernet")
                .setPoseModel("movenet-thunder")
                .setTimings(new StageTimings(1.5f, 2.25f, 30.125f, 28.5f, 61.0f, 0.75f, 1.25f))
                .setPersons(people)
                .build();
    }

    static PoseEvent poseEvent(long seq, int persons) {
        Random random = new Random(seq);
        List<TrackedPerson> people = new ArrayList<>();
        for (int p = 0; p < persons; p++) {
            people.add(TrackedPerson.newBuilder()
                    .setTrackId(1000 + p)
                    .setState(TrackState.values()[p % 3])
                    .setBox(box(random))
                    .setScore(random.nextFloat())
                    .setKeypoints(keypoints(random))
                    .setVelocity(new Velocity(random.nextFloat() * 10, -random.nextFloat() * 10))
                    .setAge(p * 7)
                    .build());
        }
        return PoseEvent.newBuilder()
                .setCameraId("cam-" + (seq % 3))
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_764_000_000_000L + seq * 100))
                .setWidth(1280)
                .setHeight(720)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(people)
                .build();
    }

    private static Box box(Random random) {
        float x = random.nextFloat() * 1000;
        float y = random.nextFloat() * 500;
        return new Box(x, y, x + 50 + random.nextFloat() * 100, y + 100 + random.nextFloat() * 200);
    }

    private static List<Keypoint> keypoints(Random random) {
        List<Keypoint> keypoints = new ArrayList<>();
        for (int k = 0; k < 17; k++) {
            keypoints.add(new Keypoint(random.nextFloat() * 1920, random.nextFloat() * 1080, random.nextFloat()));
        }
        return keypoints;
    }
}
