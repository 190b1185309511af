package io.posestream.analytics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.ActivityType;
import io.posestream.analytics.engine.TrackedBody;
import io.posestream.avro.Box;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.Keypoint;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.Velocity;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.serde.AvroSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The direct reader against the generated class on the same bytes: every field of every person, people the engine
 * cannot use, other writer schemas (resolved through the generated class) and an unreadable one (refused by the
 * deserializer).
 */
class PoseEventViewReaderTest {
    private static final Schema OWN = PoseEvent.getClassSchema();

    @Test
    void readsWhatTheGeneratedClassReads() throws IOException {
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            PoseEvent event = randomEvent(random, n);
            PoseEventView direct = read(PoseEventViewReader.forWriter(OWN), encode(event));
            assertSameView(direct, ActivityRecords.eventView(event));
            assertThat(direct.details()).hasSize(event.getPersons().size());
        }
    }

    @Test
    void rebuildsThePersonOfAnActivityAsItCameIn() throws IOException {
        PoseEvent event = randomEvent(new Random(3), 1);
        PoseEventView view = read(PoseEventViewReader.forWriter(OWN), encode(event));
        for (TrackedBody body : view.frame().bodies()) {
            Activity activity =
                    new Activity(ActivityType.HANDS_RAISED, "hands", body.trackId(), body.index(), null, null, null);
            var published = ActivityRecords.event(view, activity);
            assertThat(published.getPerson()).isEqualTo(event.getPersons().get(body.index()));
            assertThat(published.getTime()).isEqualTo(event.getCaptureTime());
            assertThat(published.getSeq()).isEqualTo(event.getSeq());
        }
    }

    @Test
    void namesAPersonWithoutSeventeenKeypoints() throws IOException {
        PoseEvent event = randomEvent(new Random(5), 2);
        List<Keypoint> short16 =
                new ArrayList<>(event.getPersons().get(1).getKeypoints().subList(0, 16));
        event.getPersons().get(1).setKeypoints(short16);
        PoseEventView view = read(PoseEventViewReader.forWriter(OWN), encode(event));
        assertThat(view.skipped()).containsOnlyKeys(1);
        assertThat(view.skipped().get(1)).contains("16 keypoints, not 17");
        assertThat(view.frame().bodies()).extracting(TrackedBody::index).doesNotContain(1);
        assertSameView(view, ActivityRecords.eventView(event));
    }

    @Test
    void readsKeypointsWrittenInSeveralBlocksAndNamesAPersonWithTooMany() throws IOException {
        int seed = 11;
        PoseEvent event = randomEvent(new Random(seed), 3);
        while (event.getPersons().size() < 2) {
            event = randomEvent(new Random(++seed), 3);
        }
        List<Keypoint> eighteen = new ArrayList<>(event.getPersons().get(0).getKeypoints());
        eighteen.add(new Keypoint(1f, 2f, 0.5f));
        event.getPersons().get(0).setKeypoints(eighteen);
        // A blocking encoder splits each array into blocks of a few items, each with its byte size: legal Avro
        // that the block-at-a-time keypoint read must follow.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder blocks = new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PoseEvent.class).write(event, blocks);
        blocks.flush();
        assertThat(bytes.size()).as("written in blocks with byte sizes").isGreaterThan(encode(event).length);
        PoseEventView view = read(PoseEventViewReader.forWriter(OWN), bytes.toByteArray());
        assertThat(view.skipped()).containsOnlyKeys(0);
        assertThat(view.skipped().get(0)).contains("18 keypoints, not 17");
        assertSameView(view, ActivityRecords.eventView(event));
        assertSameView(read(PoseEventViewReader.forWriter(OWN), encode(event)), view);
    }

    @Test
    void resolvesAnOlderWriterThroughTheGeneratedClass() throws IOException {
        // The first release's TrackedPerson, without its last field detectionIndex.
        Schema person = OWN.getField("persons").schema().getElementType();
        Schema oldPerson = Schema.createRecord(
                person.getName(),
                person.getDoc(),
                person.getNamespace(),
                false,
                person.getFields().stream()
                        .filter(f -> !f.name().equals("detectionIndex"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        Schema old = Schema.createRecord(
                OWN.getName(),
                OWN.getDoc(),
                OWN.getNamespace(),
                false,
                OWN.getFields().stream()
                        .map(f -> new Schema.Field(
                                f, f.name().equals("persons") ? Schema.createArray(oldPerson) : f.schema()))
                        .toList());
        PoseEvent event = randomEvent(new Random(11), 3);
        // Written field by field with the old schema: detectionIndex, the last field, is left out.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<PoseEvent>(old).write(event, encoder);
        encoder.flush();

        PoseEventView view = read(PoseEventViewReader.forWriter(old), bytes.toByteArray());
        event.getPersons().forEach(p -> p.setDetectionIndex(null));
        assertSameView(view, ActivityRecords.eventView(event));
    }

    @Test
    void refusesAWriterItCannotRead() {
        // Through the stage's own deserializer, on a real registry: it checks the writer before any reader is made.
        Schema incompatible = new Schema.Parser()
                .parse(OWN.toString()
                        .replace("{\"name\":\"seq\",\"type\":\"long\"", "{\"name\":\"seq\",\"type\":\"string\""));
        PoseEvent event = randomEvent(new Random(13), 4);
        GenericRecord own = (GenericRecord) GenericData.get().deepCopy(OWN, event);
        GenericData.Record written = new GenericData.Record(incompatible);
        for (Schema.Field field : incompatible.getFields()) {
            written.put(field.name(), own.get(field.name()));
        }
        written.put("seq", "four");
        // Generic records carry the timestamp as its long, not as the generated class's Instant.
        written.put("captureTime", event.getCaptureTime().toEpochMilli());
        try (RegistryCluster cluster = new RegistryCluster()) {
            byte[] bytes = AvroSerdes.generic(cluster.serdeConfig(), false)
                    .serializer()
                    .serialize("odd-poses", written);
            var poseEvents = AvroSerdes.reading(OWN, PoseEventViewReader::forWriter, cluster.serdeConfig(), false);
            assertThatThrownBy(() -> poseEvents.deserialize("odd-poses", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("topic odd-poses")
                    .hasMessageContaining("cannot be read as io.posestream.avro.PoseEvent")
                    .hasMessageContaining("/fields/1/type");
        }
    }

    private static PoseEvent randomEvent(Random random, int seq) {
        List<TrackedPerson> persons = new ArrayList<>();
        int count = random.nextInt(12);
        for (int p = 0; p < count; p++) {
            List<Keypoint> keypoints = new ArrayList<>();
            for (int k = 0; k < 17; k++) {
                keypoints.add(new Keypoint(random.nextFloat() * 768, random.nextFloat() * 576, random.nextFloat()));
            }
            persons.add(TrackedPerson.newBuilder()
                    .setTrackId(random.nextInt(1000))
                    .setState(TrackState.values()[random.nextInt(TrackState.values().length)])
                    .setBox(new Box(random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()))
                    .setScore(random.nextFloat())
                    .setKeypoints(keypoints)
                    .setVelocity(new Velocity(random.nextFloat() - 0.5f, random.nextFloat() - 0.5f))
                    .setAge(random.nextInt(500))
                    .setDetectionIndex(random.nextBoolean() ? null : random.nextInt(20))
                    .build());
        }
        return PoseEvent.newBuilder()
                .setCameraId("cam-" + random.nextInt(9))
                .setSeq(seq)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000)))
                .setWidth(768)
                .setHeight(576)
                .setFrameStatus(FrameStatus.values()[random.nextInt(FrameStatus.values().length)])
                .setPersons(persons)
                .build();
    }

    private static byte[] encode(PoseEvent event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PoseEvent.class).write(event, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static PoseEventView read(DatumReader<PoseEventView> reader, byte[] bytes) throws IOException {
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static void assertSameView(PoseEventView actual, PoseEventView expected) {
        assertThat(actual.cameraId()).isEqualTo(expected.cameraId());
        assertThat(actual.details()).isEqualTo(expected.details());
        assertThat(actual.skipped()).isEqualTo(expected.skipped());
        var a = actual.frame();
        var e = expected.frame();
        assertThat(List.of(a.seq(), a.timeMs(), a.width(), a.height(), a.posed()))
                .isEqualTo(List.of(e.seq(), e.timeMs(), e.width(), e.height(), e.posed()));
        assertThat(a.bodies()).hasSameSizeAs(e.bodies());
        for (int i = 0; i < a.bodies().size(); i++) {
            TrackedBody x = a.bodies().get(i);
            TrackedBody y = e.bodies().get(i);
            assertThat(List.of(x.index(), x.trackId(), x.phase(), x.x1(), x.y1(), x.x2(), x.y2()))
                    .isEqualTo(List.of(y.index(), y.trackId(), y.phase(), y.x1(), y.y1(), y.x2(), y.y2()));
            assertThat(Arrays.equals(x.keypoints(), y.keypoints())).isTrue();
        }
    }
}
