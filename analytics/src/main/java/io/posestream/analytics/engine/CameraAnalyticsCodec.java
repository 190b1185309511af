package io.posestream.analytics.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Binary form of a {@link CameraAnalytics} for the state store; versioned so a later layout can read this one. */
public final class CameraAnalyticsCodec {
    private static final byte VERSION = 1;

    private CameraAnalyticsCodec() {}

    public static byte[] encode(CameraAnalytics state) {
        // About 100 bytes a track: sized once, not grown (and copied) twice per event.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 128 * state.tracks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(state.zones.size());
            for (Map.Entry<String, ZoneMemory> zone : state.zones.entrySet()) {
                out.writeUTF(zone.getKey());
                out.writeInt(zone.getValue().count);
                out.writeBoolean(zone.getValue().overcrowded);
            }
            out.writeInt(state.tracks.size());
            for (Map.Entry<Long, TrackMemory> entry : state.tracks.entrySet()) {
                TrackMemory track = entry.getValue();
                out.writeLong(entry.getKey());
                out.writeInt(track.zonesEntered.size());
                for (Map.Entry<String, Long> zone : track.zonesEntered.entrySet()) {
                    out.writeUTF(zone.getKey());
                    out.writeLong(zone.getValue());
                    out.writeBoolean(track.dwellReported.contains(zone.getKey()));
                }
                out.writeInt(track.lineSides.size());
                for (Map.Entry<String, TrackMemory.LineSide> line : track.lineSides.entrySet()) {
                    out.writeUTF(line.getKey());
                    out.writeByte(line.getValue().side());
                    out.writeDouble(line.getValue().x());
                    out.writeDouble(line.getValue().y());
                }
                out.writeLong(track.uprightMs);
                out.writeDouble(track.uprightHipY);
                out.writeDouble(track.uprightHeight);
                out.writeDouble(track.uprightX1);
                out.writeDouble(track.uprightX2);
                out.writeLong(track.downSinceMs);
                out.writeBoolean(track.fallReported);
                out.writeBoolean(track.handsUp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
