package io.posestream.tracker.core;

import io.posestream.schemas.AppearanceDescriptor;
import io.posestream.schemas.CocoKeypoints;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of a {@link CameraTracker} for the state store and its changelog: a format version byte,
 * then counters, the reference-score histogram and the tracks, with floats for geometry (what the events carry
 * anyway), big-endian. The tracker settings are not stored: a restarted instance applies its own. Written with a
 * {@link ByteBuffer} because the processor encodes and decodes a camera's state on every frame.
 *
 * <p>Version 2 adds the last posed time and mean posed interval, the score histogram, each track's misses in a
 * row, motion filter and smoothed keypoints; version 3 each track's colour descriptor. Older state is still read,
 * so an upgraded tracker continues the ids: version 2 tracks learn their colours at their next match, version 1
 * tracks also restart their filters from their last pose and velocity.
 */
public final class CameraStateCodec {
    private static final byte VERSION = 3;
    private static final byte VERSION_2 = 2;
    private static final byte VERSION_1 = 1;
    private static final int POSE_FLOATS = 5 + 3 * CocoKeypoints.COUNT;
    private static final int MOTION_FLOATS = 6 + 9 + 3;
    private static final int SMOOTHED_FLOATS = 5 * CocoKeypoints.COUNT;
    private static final int HEADER_BYTES =
            1 + 6 * Long.BYTES + Float.BYTES + ScoreReference.BINS * Float.BYTES + Integer.BYTES;
    /**
     * A version 2 track without smoothed keypoints; with them, {@link #SMOOTHED_FLOATS} floats more, and version 3
     * adds a byte and the colour descriptor's floats when the track has one.
     */
    private static final int TRACK_BYTES =
            Long.BYTES + 1 + 3 * Integer.BYTES + Long.BYTES + (POSE_FLOATS + MOTION_FLOATS) * Float.BYTES + 1;

    private static final int HEADER_BYTES_1 = 1 + 5 * Long.BYTES + Integer.BYTES;
    private static final int TRACK_BYTES_1 =
            Long.BYTES + 1 + 2 * Integer.BYTES + Long.BYTES + 2 * Float.BYTES + POSE_FLOATS * Float.BYTES;

    private CameraStateCodec() {}

    public static byte[] encode(CameraTracker camera) {
        PoseTracker tracker = camera.tracker();
        List<Track> tracks = tracker.tracks();
        int size = HEADER_BYTES;
        for (Track track : tracks) {
            size += TRACK_BYTES + (track.smoothed.valid ? SMOOTHED_FLOATS * Float.BYTES : 0) + 1;
            size += track.appearance == null ? 0 : AppearanceDescriptor.LENGTH * Float.BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putLong(camera.lastSeq());
        out.putLong(camera.lastTimeMs());
        out.putLong(camera.droppedFrames());
        out.putLong(camera.skippedFrames());
        out.putLong(tracker.nextId());
        out.putLong(tracker.lastPosedMs());
        out.putFloat((float) tracker.posedIntervalMs());
        for (double w : tracker.scoreReference().weights()) {
            out.putFloat((float) w);
        }
        out.putInt(tracks.size());
        for (Track track : tracks) {
            out.putLong(track.id);
            out.put((byte) track.phase.ordinal());
            out.putInt(track.hits);
            out.putInt(track.age);
            out.putInt(track.misses);
            out.putLong(track.lastSeenMs);
            writePose(out, track.pose);
            Track.MotionState m = track.motion;
            for (double v : m.mean) {
                out.putFloat((float) v);
            }
            for (double v : m.cov) {
                out.putFloat((float) v);
            }
            out.putFloat((float) m.anchorX);
            out.putFloat((float) m.anchorY);
            out.putFloat((float) m.anchorH);
            Track.SmoothedPose s = track.smoothed;
            out.put((byte) (s.valid ? 1 : 0));
            if (s.valid) {
                for (double[] values : new double[][] {s.x, s.y, s.vx, s.vy, s.rejected}) {
                    for (double v : values) {
                        out.putFloat((float) v);
                    }
                }
            }
            out.put((byte) (track.appearance == null ? 0 : 1));
            if (track.appearance != null) {
                for (float v : track.appearance) {
                    out.putFloat(v);
                }
            }
        }
        return out.array();
    }

    /** Restores a camera's state with the given settings; refuses bytes of an unknown format version. */
    public static CameraTracker decode(byte[] data, TrackerConfig config) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version == VERSION_1) {
                return decodeVersion1(in, data.length, config);
            }
            if (version != VERSION && version != VERSION_2) {
                throw new IllegalArgumentException("camera state format version " + version + " is not " + VERSION
                        + " (or " + VERSION_2 + ", " + VERSION_1 + ")");
            }
            long lastSeq = in.getLong();
            long lastTime = in.getLong();
            long dropped = in.getLong();
            long skipped = in.getLong();
            long nextId = in.getLong();
            long lastPosed = in.getLong();
            double posedInterval = in.getFloat();
            double[] weights = new double[ScoreReference.BINS];
            for (int b = 0; b < weights.length; b++) {
                weights[b] = in.getFloat();
            }
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
                int misses = in.getInt();
                long lastSeen = in.getLong();
                Track track = new Track(id, phase, hits, age, lastSeen, readPose(in));
                track.misses = misses;
                Track.MotionState m = track.motion;
                for (int k = 0; k < m.mean.length; k++) {
                    m.mean[k] = in.getFloat();
                }
                for (int k = 0; k < m.cov.length; k++) {
                    m.cov[k] = in.getFloat();
                }
                m.anchorX = in.getFloat();
                m.anchorY = in.getFloat();
                m.anchorH = in.getFloat();
                Track.SmoothedPose s = track.smoothed;
                s.valid = in.get() != 0;
                if (s.valid) {
                    for (double[] values : new double[][] {s.x, s.y, s.vx, s.vy, s.rejected}) {
                        for (int k = 0; k < values.length; k++) {
                            values[k] = in.getFloat();
                        }
                    }
                }
                if (version == VERSION && in.get() != 0) {
                    track.appearance = new float[AppearanceDescriptor.LENGTH];
                    for (int k = 0; k < track.appearance.length; k++) {
                        track.appearance[k] = in.getFloat();
                    }
                }
                tracks.add(track);
            }
            return new CameraTracker(
                    new PoseTracker(config, nextId, tracks, new ScoreReference(weights), lastPosed, posedInterval),
                    lastSeq,
                    lastTime,
                    dropped,
                    skipped);
        } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("camera state is truncated or corrupt (" + data.length + " bytes)", e);
        }
    }

    /** State written before the motion filter: tracks keep ids, lifecycle, pose and velocity. */
    private static CameraTracker decodeVersion1(ByteBuffer in, int length, TrackerConfig config) {
        if (length < HEADER_BYTES_1) {
            throw new IllegalArgumentException("camera state is truncated or corrupt (" + length + " bytes)");
        }
        long lastSeq = in.getLong();
        long lastTime = in.getLong();
        long dropped = in.getLong();
        long skipped = in.getLong();
        long nextId = in.getLong();
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / TRACK_BYTES_1) {
            throw new IllegalArgumentException(
                    "camera state is truncated or corrupt: " + count + " tracks in " + length + " bytes");
        }
        KalmanMotion motion = new KalmanMotion(config);
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
            Track track = new Track(id, phase, hits, age, lastSeen, readPose(in));
            motion.start(track);
            track.motion.mean[Track.MotionState.VX] = vx;
            track.motion.mean[Track.MotionState.VY] = vy;
            tracks.add(track);
        }
        return new CameraTracker(
                new PoseTracker(config, nextId, tracks, new ScoreReference(), Long.MIN_VALUE, 0),
                lastSeq,
                lastTime,
                dropped,
                skipped);
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
