package io.posestream.analytics.streams;

import io.posestream.analytics.engine.FrameView;
import io.posestream.analytics.engine.TrackPhase;
import io.posestream.analytics.engine.TrackedBody;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.schemas.CocoKeypoints;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads a pose event straight into a {@link PoseEventView}, when it was written with the binary layout of the
 * analytics' own PoseEvent schema (the same parsing canonical form: field order, types, enum symbols, union
 * branches): the keypoints go into the engine's arrays without the ~170 objects per event that the generated
 * classes make, which was the largest single cost of the stream thread. A pose event written with any other
 * compatible schema (an older or newer producer) is read through the generated class with Avro's schema
 * resolution, then viewed.
 */
final class PoseEventViewReader implements DatumReader<PoseEventView> {
    private static final long OWN_LAYOUT = SchemaNormalization.parsingFingerprint64(PoseEvent.getClassSchema());
    private static final TrackState[] STATES = TrackState.values();
    private static final TrackPhase[] PHASES =
            Arrays.stream(STATES).map(state -> TrackPhase.valueOf(state.name())).toArray(TrackPhase[]::new);
    private static final FrameStatus[] STATUSES = FrameStatus.values();
    private static final int FLOATS = 3 * CocoKeypoints.COUNT;
    /** A Keypoint record's binary form: x, y, score, each an Avro float (4 bytes, little-endian). */
    private static final int KEYPOINT_BYTES = 12;

    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The reader for pose events written with {@code writer}, a schema the deserializer has found readable as
     * PoseEvent ({@code AvroSerdes.reading} checks that before asking).
     */
    static DatumReader<PoseEventView> forWriter(Schema writer) {
        if (SchemaNormalization.parsingFingerprint64(writer) == OWN_LAYOUT) {
            return new PoseEventViewReader();
        }
        SpecificDatumReader<PoseEvent> resolving = new SpecificDatumReader<>(writer, PoseEvent.getClassSchema());
        return new DatumReader<>() {
            @Override
            public void setSchema(Schema schema) {
                resolving.setSchema(schema);
            }

            @Override
            public PoseEventView read(PoseEventView reuse, Decoder in) throws IOException {
                return ActivityRecords.eventView(resolving.read(null, in));
            }
        };
    }

    private PoseEventViewReader() {}

    @Override
    public void setSchema(Schema schema) {
        // Made for one layout only (forWriter); nothing to set.
    }

    @Override
    public PoseEventView read(PoseEventView reuse, Decoder in) throws IOException {
        // Field order of PoseEvent.avsc, TrackedPerson.avsc, Box, Keypoint and Velocity.
        String camera = in.readString();
        long seq = in.readLong();
        long captureMs = in.readLong();
        int width = in.readInt();
        int height = in.readInt();
        FrameStatus status = STATUSES[in.readEnum()];
        List<TrackedBody> bodies = new ArrayList<>();
        List<PoseEventView.PersonDetails> details = new ArrayList<>();
        Map<Integer, String> skipped = Map.of(); // made only for the rare event with a malformed person
        byte[] block = new byte[CocoKeypoints.COUNT * KEYPOINT_BYTES];
        int index = 0;
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++, index++) {
                long trackId = in.readLong();
                TrackPhase phase = PHASES[in.readEnum()];
                float x1 = in.readFloat();
                float y1 = in.readFloat();
                float x2 = in.readFloat();
                float y2 = in.readFloat();
                float score = in.readFloat();
                float[] keypoints = new float[FLOATS];
                int count = 0;
                for (long k = in.readArrayStart(); k != 0; k = in.arrayNext()) {
                    if (count + k <= CocoKeypoints.COUNT) {
                        // A block of keypoints is k x 3 floats back to back: one read, not 3k decoder calls.
                        in.readFixed(block, 0, (int) k * KEYPOINT_BYTES);
                        for (int f = 0; f < 3 * k; f++) {
                            keypoints[3 * count + f] = (float) FLOAT_LE.get(block, 4 * f);
                        }
                        count += (int) k;
                        continue;
                    }
                    for (long j = 0; j < k; j++, count++) {
                        float x = in.readFloat();
                        float y = in.readFloat();
                        float s = in.readFloat();
                        if (count < CocoKeypoints.COUNT) {
                            keypoints[3 * count] = x;
                            keypoints[3 * count + 1] = y;
                            keypoints[3 * count + 2] = s;
                        }
                    }
                }
                float vx = in.readFloat();
                float vy = in.readFloat();
                int age = in.readInt();
                Integer detection = switch (in.readIndex()) {
                    case 0 -> {
                        in.readNull();
                        yield null;
                    }
                    case 1 -> in.readInt();
                    default -> throw new AvroRuntimeException("Bad union branch for detectionIndex");
                };
                details.add(new PoseEventView.PersonDetails(score, vx, vy, age, detection));
                if (count == CocoKeypoints.COUNT) {
                    bodies.add(new TrackedBody(index, trackId, phase, x1, y1, x2, y2, keypoints));
                } else {
                    if (skipped.isEmpty()) {
                        skipped = new HashMap<>();
                    }
                    skipped.put(index, "track " + trackId + " has " + count + " keypoints, not " + CocoKeypoints.COUNT);
                }
            }
        }
        FrameView frame = new FrameView(seq, captureMs, width, height, status == FrameStatus.POSED, bodies);
        return new PoseEventView(camera, frame, details, skipped);
    }
}
