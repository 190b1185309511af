package io.posestream.tracker.core;

import io.posestream.schemas.CocoKeypoints;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of a {@link CameraTracker} for the state store and its changelog: a format version byte,
 * then counters and tracks with floats for geometry (what the events carry anyway), big-endian. The tracker
 * settings are not stored: a restarted instance applies its own. Written with a {@link ByteBuffer} because the
 * processor encodes and decodes a camera's state on every frame.
 */
public final class CameraStateCodec {
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + 5 * Long.BYTES + Integer.BYTES;
    private static final int POSE_BYTES = (5 + 3 * CocoKeypoints.COUNT) * Float.BYTES;
    private static final int TRACK_BYTES =
            Long.BYTES + 1 + 2 * Integer.BYTES + Long.BYTES + 2 * Float.BYTES + POSE_BYTES;

    private CameraStateCodec() {}

    public static byte[] encode(CameraTracker camera) {
        PoseTracker tracker = camera.tracker();
        List<Track> tracks = tracker.tracks();
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + tracks.size() * TRACK_BYTES);
        out.put(VERSION);
        out.putLong(camera.lastSeq());
        out.putLong(camera.lastTimeMs());
        out.putLong(camera.droppedFrames());
        out.putLong(camera.skippedFrames());
        out.putLong(tracker.nextId());
        out.putInt(tracks.size());
        for (Track track : tracks) {
            out.putLong(track.id);
            out.put((byte) track.phase.ordinal());
            out.putInt(track.hits);
            out.putInt(track.age);
            out.putLong(track.lastSeenMs);
            out.putFloat((float) track.vx);
            out.putFloat((float) track.vy);
            writePose(out, track.pose);
        }
        return out.array();
    }

    /** Restores a camera's state with the given settings; refuses bytes of an unknown format version. */
    public static CameraTracker decode(byte[] data, TrackerConfig config) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("camera state format version " + version + " is not " + VERSION);
            }
            long lastSeq = in.getLong();
            long lastTime = in.getLong();
            long dropped = in.getLong();
            long skipped = in.getLong();
            long nextId = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / TRACK_BYTES) {
                throw new IllegalArgumentException(
                        "camera state is truncated or corrupt: " + count + " tracks in " + data.length + " bytes");
            }
            List<Track> tracks = new ArrayList<>(count);
            TrackPhase[] phases = TrackPhase.values();
            for (int i = 0; i < count; i++) {
                long id = in.getLong();
                TrackPhase phase = phases[in.get()];
                int hits = in.getInt();
                int age = in.getInt();
                long lastSeen = in.getLong();
                double vx = in.getFloat();
                double vy = in.getFloat();
                tracks.add(new Track(id, phase, hits, age, lastSeen, readPose(in), vx, vy));
            }
            return new CameraTracker(new PoseTracker(config, nextId, tracks), lastSeq, lastTime, dropped, skipped);
        } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("camera state is truncated or corrupt (" + data.length + " bytes)", e);
        }
    }

    private static void writePose(ByteBuffer out, Pose pose) {
        Bounds box = pose.box();
        out.putFloat((float) box.x1());
        out.putFloat((float) box.y1());
        out.putFloat((float) box.x2());
        out.putFloat((float) box.y2());
        out.putFloat((float) pose.personScore());
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            out.putFloat((float) pose.x(k));
            out.putFloat((float) pose.y(k));
            out.putFloat((float) pose.score(k));
        }
    }

    private static Pose readPose(ByteBuffer in) {
        Bounds box = new Bounds(in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat());
        double score = in.getFloat();
        double[] x = new double[CocoKeypoints.COUNT];
        double[] y = new double[CocoKeypoints.COUNT];
        double[] s = new double[CocoKeypoints.COUNT];
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            x[k] = in.getFloat();
            y[k] = in.getFloat();
            s[k] = in.getFloat();
        }
        return new Pose(x, y, s, box, score);
    }
}
