package io.posestream.dashboard;

import io.posestream.avro.Box;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.schemas.CocoKeypoints;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Test frames and pose events that belong together: a JPEG of a simple scene (sky, floor, grey stick people) made
 * with javax.imageio, and the tracked persons whose keypoints lie on those stick people.
 */
public final class TestScenes {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    public static final Color SKY = new Color(60, 90, 130);
    public static final Color FLOOR = new Color(70, 70, 60);
    public static final Color BODY = new Color(170, 170, 170);

    /** Where a standing person's keypoints sit, as (dx, dy) fractions of its height from the top centre. */
    private static final float[][] STANDING = {
        {0f, .06f},
        {.02f, .05f},
        {-.02f, .05f},
        {.04f, .06f},
        {-.04f, .06f},
        {.10f, .18f},
        {-.10f, .18f},
        {.13f, .33f},
        {-.13f, .33f},
        {.14f, .46f},
        {-.14f, .46f},
        {.07f, .50f},
        {-.07f, .50f},
        {.08f, .72f},
        {-.08f, .72f},
        {.08f, .95f},
        {-.08f, .95f}
    };

    private TestScenes() {}

    /** A person standing with the top of the head at ({@code centreX}, {@code top}), all keypoints confident. */
    public static List<Keypoint> standing(float centreX, float top, float height) {
        List<Keypoint> keypoints = new ArrayList<>();
        for (float[] offset : STANDING) {
            keypoints.add(new Keypoint(centreX + offset[0] * height, top + offset[1] * height, 0.9f));
        }
        return keypoints;
    }

    /** JPEG of the scene with a grey stick figure along each person's limbs. */
    public static byte[] jpeg(List<List<Keypoint>> people) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(SKY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(FLOOR);
        g.fillRect(0, HEIGHT * 2 / 3, WIDTH, HEIGHT / 3);
        g.setColor(BODY);
        g.setStroke(new BasicStroke(14, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (List<Keypoint> person : people) {
            for (List<Integer> limb : CocoKeypoints.LIMBS) {
                Keypoint a = person.get(limb.get(0));
                Keypoint b = person.get(limb.get(1));
                g.drawLine(Math.round(a.getX()), Math.round(a.getY()), Math.round(b.getX()), Math.round(b.getY()));
            }
        }
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jpeg.toByteArray();
    }

    public static Frame frame(String cameraId, long seq, Instant captureTime, byte[] jpeg) {
        return Frame.newBuilder()
                .setCameraId(cameraId)
                .setSeq(seq)
                .setCaptureTime(captureTime)
                .setPts(seq * 100_000)
                .setWidth(WIDTH)
                .setHeight(HEIGHT)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg))
                .build();
    }

    /** A frame without people, for tests that do not look at the picture. */
    public static Frame frame(String cameraId, long seq, Instant captureTime) {
        return frame(cameraId, seq, captureTime, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9});
    }

    public static PoseEvent event(String cameraId, long seq, Instant captureTime, List<TrackedPerson> persons) {
        return PoseEvent.newBuilder()
                .setCameraId(cameraId)
                .setSeq(seq)
                .setCaptureTime(captureTime)
                .setWidth(WIDTH)
                .setHeight(HEIGHT)
                .setFrameStatus(FrameStatus.POSED)
                .setPersons(persons)
                .build();
    }

    public static TrackedPerson tracked(long trackId, TrackState state, List<Keypoint> keypoints) {
        float x1 = Float.MAX_VALUE;
        float y1 = Float.MAX_VALUE;
        float x2 = -Float.MAX_VALUE;
        float y2 = -Float.MAX_VALUE;
        for (Keypoint k : keypoints) {
            x1 = Math.min(x1, k.getX());
            y1 = Math.min(y1, k.getY());
            x2 = Math.max(x2, k.getX());
            y2 = Math.max(y2, k.getY());
        }
        return TrackedPerson.newBuilder()
                .setTrackId(trackId)
                .setState(state)
                .setBox(new Box(x1 - 10, y1 - 10, x2 + 10, y2 + 10))
                .setScore(state == TrackState.LOST ? 0 : 0.9f)
                .setKeypoints(keypoints)
                .setVelocity(new Velocity(0f, 0f))
                .setAge(10)
                .build();
    }

    /** The camera's people at frame {@code seq}: they drift sideways so consecutive frames differ. */
    public static List<List<Keypoint>> people(int count, long seq) {
        List<List<Keypoint>> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float x = 120 + i * 200 + (seq % 40) * 2;
            people.add(standing(x, 120 + i * 20, 300));
        }
        return people;
    }
}
