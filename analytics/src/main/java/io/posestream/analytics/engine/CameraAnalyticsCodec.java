package io.posestream.analytics.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Binary form of a {@link CameraAnalytics} for the state store; versioned so a later layout can read this one. */
public final class CameraAnalyticsCodec {
    private static final byte VERSION = 1;
    private static final int MAX_NAMES = 10_000;
    private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();
    /** Each stream thread's buffer to encode into (a camera's state is about 100 bytes per track). */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8192));

    private CameraAnalyticsCodec() {}

    /**
     * The state's bytes, in DataOutputStream's layout (big-endian, names as modified UTF-8 with a 2-byte length).
     * Written for every camera that moved on at each commit, in one pass into the thread's scratch buffer with the
     * names' bytes kept, then copied out (DataOutputStream's per-call locking and per-name buffers cost more).
     */
    public static byte[] encode(CameraAnalytics state) {
        ByteBuffer out = SCRATCH.get();
        while (true) {
            out.clear();
            try {
                write(state, out);
                return Arrays.copyOf(out.array(), out.position());
            } catch (BufferOverflowException tooSmall) {
                // A camera with more tracks than ever before: grow once, keep the larger buffer.
                out = ByteBuffer.allocate(2 * out.capacity());
                SCRATCH.set(out);
            }
        }
    }

    private static void write(CameraAnalytics state, ByteBuffer out) {
        out.put(VERSION);
        out.putInt(state.zones.size());
        for (Map.Entry<String, ZoneMemory> zone : state.zones.entrySet()) {
            putName(out, zone.getKey());
            out.putInt(zone.getValue().count);
            putBoolean(out, zone.getValue().overcrowded);
        }
        out.putInt(state.tracks.size());
        for (Map.Entry<Long, TrackMemory> entry : state.tracks.entrySet()) {
            TrackMemory track = entry.getValue();
            out.putLong(entry.getKey());
            out.putInt(track.zonesEntered.size());
            for (Map.Entry<String, Long> zone : track.zonesEntered.entrySet()) {
                putName(out, zone.getKey());
                out.putLong(zone.getValue());
                putBoolean(out, track.dwellReported.contains(zone.getKey()));
            }
            out.putInt(track.lineSides.size());
            for (Map.Entry<String, TrackMemory.LineSide> line : track.lineSides.entrySet()) {
                putName(out, line.getKey());
                out.put((byte) line.getValue().side());
                out.putDouble(line.getValue().x());
                out.putDouble(line.getValue().y());
            }
            out.putLong(track.uprightMs);
            out.putDouble(track.uprightHipY);
            out.putDouble(track.uprightHeight);
            out.putDouble(track.uprightX1);
            out.putDouble(track.uprightX2);
            out.putLong(track.downSinceMs);
            putBoolean(out, track.fallReported);
            putBoolean(out, track.handsUp);
        }
    }

    private static void putBoolean(ByteBuffer out, boolean value) {
        out.put((byte) (value ? 1 : 0));
    }

    private static void putName(ByteBuffer out, String name) {
        out.put(nameBytes(name));
    }

    /**
     * As DataOutputStream.writeUTF: a 2-byte length, then modified UTF-8 (NUL as two bytes). Rule names repeat
     * in every state written, so their bytes are kept (a few per rule; not kept beyond {@code MAX_NAMES}).
     */
    private static byte[] nameBytes(String name) {
        byte[] bytes = NAMES.get(name);
        if (bytes != null) {
            return bytes;
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(2 + name.length());
        try (DataOutputStream out = new DataOutputStream(encoded)) {
            out.writeUTF(name);
        } catch (IOException e) {
            // writeUTF refuses a name of more than 65535 bytes; an in-memory stream fails in no other way.
            throw new IllegalArgumentException("Name too long for the analytics state: " + e.getMessage(), e);
        }
        bytes = encoded.toByteArray();
        if (NAMES.size() < MAX_NAMES) {
            NAMES.put(name, bytes);
        }
        return bytes;
    }

    public static CameraAnalytics decode(byte[] data) {
        CameraAnalytics state = new CameraAnalytics();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("Unknown analytics state version " + version);
            }
            int zones = in.readInt();
            for (int i = 0; i < zones; i++) {
                state.zones.put(in.readUTF(), new ZoneMemory(in.readInt(), in.readBoolean()));
            }
            int tracks = in.readInt();
            for (int i = 0; i < tracks; i++) {
                long id = in.readLong();
                TrackMemory track = new TrackMemory();
                int entered = in.readInt();
                for (int z = 0; z < entered; z++) {
                    String zone = in.readUTF();
                    track.zonesEntered.put(zone, in.readLong());
                    if (in.readBoolean()) {
                        track.dwellReported.add(zone);
                    }
                }
                int lines = in.readInt();
                for (int l = 0; l < lines; l++) {
                    String line = in.readUTF();
                    track.lineSides.put(
                            line, new TrackMemory.LineSide(in.readByte(), in.readDouble(), in.readDouble()));
                }
                track.uprightMs = in.readLong();
                track.uprightHipY = in.readDouble();
                track.uprightHeight = in.readDouble();
                track.uprightX1 = in.readDouble();
                track.uprightX2 = in.readDouble();
                track.downSinceMs = in.readLong();
                track.fallReported = in.readBoolean();
                track.handsUp = in.readBoolean();
                state.tracks.put(id, track);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Truncated analytics state: " + e.getMessage(), e);
        }
        return state;
    }
}
