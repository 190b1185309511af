package io.posestream.tracker.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.avro.TrackState;
import io.posestream.schemas.RegistryCluster;
import io.posestream.schemas.serde.AvroSerdes;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.Poses;
import io.posestream.tracker.core.TrackerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology driven record by record (TopologyTestDriver), with real Avro serdes on the embedded registry. */
class TrackerTopologyTest {
    /** Small, so a test frame can pass it. */
    private static final int MAX_PERSONS = 3;

    private static final String IN = "poses";
    private static final String OUT = "pose-events";
    private static final String DLQ = "poses.dlq";

    private static RegistryCluster cluster;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PoseFrame> input;
    private TestOutputTopic<String, PoseEvent> output;

    @BeforeAll
    static void startCluster() {
        cluster = new RegistryCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startDriver() {
        Map<String, Object> serde = cluster.serdeConfig();
        var frames = AvroSerdes.specific(PoseFrame.class, serde, false);
        var events = AvroSerdes.specific(PoseEvent.class, serde, false);
        Map<String, Object> settings = new LinkedHashMap<>(serde);
        settings.put(TrackerAppConfig.BOOTSTRAP_SERVERS, "unused:9092");
        settings.put(TrackerAppConfig.INPUT_TOPIC, IN);
        settings.put(TrackerAppConfig.OUTPUT_TOPIC, OUT);
        settings.put(TrackerAppConfig.DLQ_TOPIC, DLQ);
        settings.put(TrackerAppConfig.MAX_PERSONS, MAX_PERSONS);
        settings.put(TrackerAppConfig.STATE_DIR, System.getProperty("java.io.tmpdir") + "/ttd-" + System.nanoTime());
        TrackerAppConfig config = new TrackerAppConfig(settings);
        Properties properties = new Properties();
        properties.putAll(config.streamsConfig());
        driver = new TopologyTestDriver(
                TrackerTopology.build(IN, OUT, config.trackerConfig(), config.maxPersons(), frames, events),
                properties);
        input = driver.createInputTopic(IN, new StringSerializer(), frames.serializer());
        output = driver.createOutputTopic(OUT, new StringDeserializer(), events.deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void oneEventPerFrameInOrderWithStableIdsAndLifecycleStates() {
        for (long seq = 0; seq < 6; seq++) {
            input.pipeInput("cam", TestFrames.posed("cam", seq, List.of(Poses.person(100 + 5 * seq, 600))));
        }
        List<PoseEvent> events = output.readValuesToList();
        assertThat(events).extracting(PoseEvent::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(events).extracting(e -> e.getPersons().get(0).getTrackId()).containsOnly(1L);
        assertThat(events)
                .extracting(e -> e.getPersons().get(0).getState())
                .containsExactly(
                        TrackState.TENTATIVE,
                        TrackState.CONFIRMED,
                        TrackState.CONFIRMED,
                        TrackState.CONFIRMED,
                        TrackState.CONFIRMED,
                        TrackState.CONFIRMED);
        PoseEvent last = events.get(5);
        assertThat(last.getCameraId()).isEqualTo("cam");
        // 5 px per 40 ms, as the motion filter has learnt it in six frames.
        assertThat(last.getPersons().get(0).getVelocity().getVx()).isCloseTo(125f, within(15f));
        assertThat(last.getPersons().get(0).getAge()).isEqualTo(6);
        assertThat(last.getWidth()).isEqualTo(1280);
        // The matched detection is named, so its keypoints as detected can be found in the PoseFrame; a rigidly
        // moving person's smoothed keypoints are where they were detected.
        assertThat(last.getPersons().get(0).getDetectionIndex()).isZero();
        Pose detected = Poses.person(100 + 5 * 5, 600);
        assertThat(last.getPersons().get(0).getKeypoints().get(9).getX())
                .isCloseTo((float) detected.x(9), within(0.01f));
    }

    @Test
    void duplicatesAndLateFramesAreDroppedAndCounted() {
        for (long seq : new long[] {0, 1, 1, 2, 0, 3, 3}) {
            input.pipeInput("cam", TestFrames.posed("cam", seq, List.of(Poses.person(100 + 5 * seq, 600))));
        }
        assertThat(output.readValuesToList()).extracting(PoseEvent::getSeq).containsExactly(0L, 1L, 2L, 3L);
        KeyValueStore<String, CameraTracker> store = driver.getKeyValueStore(TrackerTopology.STORE);
        assertThat(store.get("cam").droppedFrames()).isEqualTo(3);
        assertThat(store.get("cam").tracker().tracks()).hasSize(1);
        assertThat(driver.metrics().entrySet()).anySatisfy(e -> {
            assertThat(e.getKey().name()).isEqualTo("dropped-frames-total");
            assertThat((Double) e.getValue().metricValue()).isEqualTo(3.0);
        });
    }

    @Test
    void staleGapsAgeLostTracksByCaptureTime() {
        long window = TrackerConfig.DEFAULTS.maxLostMs();
        long seq = 0;
        for (; seq < 5; seq++) {
            input.pipeInput("cam", TestFrames.posed("cam", seq, List.of(Poses.person(100, 600))));
        }
        input.pipeInput("cam", TestFrames.posed("cam", seq++, List.of()));
        // Frames skipped upstream as stale every 500 ms past the lost window: an event each, no persons, the
        // status passed on.
        long capture = TestFrames.T0 + seq * 40;
        int skipped = (int) (window / 500) + 2;
        for (int i = 0; i < skipped; i++, seq++) {
            capture += 500;
            input.pipeInput("cam", TestFrames.frame("cam", seq, capture, FrameStatus.SKIPPED_STALE, List.of()));
        }
        input.pipeInput(
                "cam", TestFrames.frame("cam", seq, capture + 40, FrameStatus.POSED, List.of(Poses.person(100, 600))));
        List<PoseEvent> events = output.readValuesToList();
        assertThat(events).hasSize(7 + skipped);
        assertThat(events.get(5).getPersons()).singleElement().satisfies(p -> {
            assertThat(p.getState()).isEqualTo(TrackState.LOST);
            assertThat(p.getTrackId()).isEqualTo(1L);
            assertThat(p.getScore()).isZero();
            assertThat(p.getDetectionIndex()).isNull();
        });
        List<PoseEvent> stale = events.subList(6, 6 + skipped);
        assertThat(stale).allSatisfy(e -> assertThat(e.getFrameStatus()).isEqualTo(FrameStatus.SKIPPED_STALE));
        // Last seen at +160 ms: the first skipped frame past the window reports the removal, once.
        long lastSeen = TestFrames.T0 + 160;
        for (PoseEvent e : stale) {
            long since = e.getCaptureTime().toEpochMilli() - lastSeen;
            boolean first = since > window && since <= window + 500;
            assertThat(TestFrames.tracks(e)).isEqualTo(first ? List.of("1:REMOVED") : List.of());
        }
        // Past the lost window: the person is a new track.
        assertThat(events.get(6 + skipped).getPersons())
                .singleElement()
                .extracting(p -> p.getTrackId())
                .isEqualTo(2L);
    }

    @Test
    void aTrackLeavingPastTheLostWindowAppearsOnceAsRemoved() {
        long window = TrackerConfig.DEFAULTS.maxLostMs();
        long seq = 0;
        for (; seq < 5; seq++) {
            input.pipeInput("cam", TestFrames.posed("cam", seq, List.of(Poses.person(100 + 5 * seq, 600))));
        }
        long lastSeen = TestFrames.T0 + (seq - 1) * 40;
        // The person walked out of the picture: posed frames without anyone for a second longer than the window.
        long empty = (window + 1000) / 40;
        for (; seq < 5 + empty; seq++) {
            input.pipeInput("cam", TestFrames.posed("cam", seq, List.of()));
        }
        List<PoseEvent> events = output.readValuesToList();
        assertThat(events).hasSize((int) (5 + empty));
        List<PoseEvent> withRemoved = events.stream()
                .filter(e -> e.getPersons().stream().anyMatch(p -> p.getState() == TrackState.REMOVED))
                .toList();
        assertThat(withRemoved).singleElement().satisfies(e -> {
            assertThat(e.getCaptureTime().toEpochMilli() - lastSeen)
                    .isGreaterThan(window)
                    .isLessThanOrEqualTo(window + 40);
            assertThat(e.getPersons()).singleElement().satisfies(p -> {
                assertThat(p.getTrackId()).isEqualTo(1L);
                assertThat(p.getScore()).isZero();
                // The last known place: the box and keypoints of the last match.
                Pose last = Poses.person(100 + 5 * 4, 600);
                assertThat(p.getBox().getX1()).isEqualTo((float) last.box().x1());
                assertThat(p.getKeypoints().get(0).getX()).isEqualTo((float) last.x(0));
            });
        });
        int removedAt = events.indexOf(withRemoved.get(0));
        assertThat(events.subList(5, removedAt))
                .allSatisfy(e -> assertThat(TestFrames.tracks(e)).containsExactly("1:LOST"));
        assertThat(events.subList(removedAt + 1, events.size()))
                .allSatisfy(e -> assertThat(e.getPersons()).isEmpty());
    }

    @Test
    void camerasInterleavedAreTrackedApart() {
        List<PoseFrame> frames = new ArrayList<>();
        for (long seq = 0; seq < 30; seq++) {
            for (int c = 0; c < 3; c++) {
                frames.add(TestFrames.walking("cam-" + c, c, seq));
            }
        }
        frames.forEach(f -> input.pipeInput(f.getCameraId(), f));
        Map<String, List<String>> got = new LinkedHashMap<>();
        for (var record : output.readKeyValuesToList()) {
            assertThat(record.key).isEqualTo(record.value.getCameraId());
            got.put(record.key + "/" + record.value.getSeq(), TestFrames.tracks(record.value));
        }
        assertThat(got).containsExactlyEntriesOf(TestFrames.expected(frames));
        // Ids are per camera: each camera starts at 1.
        assertThat(got.get("cam-2/5")).contains("1:CONFIRMED", "2:CONFIRMED");
    }

    @Test
    void anUndecodableRecordDoesNotStopTheTopology() {
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
        raw.pipeInput("cam", "not avro".getBytes(StandardCharsets.UTF_8));
        input.pipeInput("cam", TestFrames.posed("cam", 0, List.of(Poses.person(100, 600))));
        assertThat(output.readValuesToList()).extracting(PoseEvent::getSeq).containsExactly(0L);
        // TopologyTestDriver does not capture the handler's dead letters; TrackerAppTest checks them on a broker.
    }

    @Test
    void aFrameWithMorePersonsThanTheLimitHasItsFirstOnesTracked() {
        List<io.posestream.tracker.core.Pose> crowd = new ArrayList<>();
        for (int p = 0; p < MAX_PERSONS + 2; p++) {
            crowd.add(Poses.person(100 + 300 * p, 600));
        }
        input.pipeInput("cam", TestFrames.posed("cam", 0, crowd));
        PoseEvent event = output.readValue();
        assertThat(event.getPersons()).hasSize(MAX_PERSONS);
        // The first ones (the worker writes the best first), by position.
        assertThat(event.getPersons())
                .extracting(person -> (int) person.getBox().getX1())
                .allSatisfy(x -> assertThat(x).isLessThan(100 + 300 * MAX_PERSONS - 150));
    }

    @Test
    void aPersonWithoutSeventeenKeypointsIsIgnoredAndTheOthersTracked() {
        PoseFrame frame = TestFrames.posed("cam", 0, List.of(Poses.person(100, 600), Poses.person(600, 600)));
        frame.getPersons()
                .get(0)
                .setKeypoints(frame.getPersons().get(0).getKeypoints().subList(0, 5));
        input.pipeInput("cam", frame);
        assertThat(output.readValue().getPersons())
                .singleElement()
                .satisfies(p -> assertThat(p.getBox().getX1()).isGreaterThan(500f));
    }

    @Test
    void aPersonWithColoursOfTheWrongLengthIsTrackedWithoutThem() {
        PoseFrame frame = TestFrames.posed("cam", 0, List.of(Poses.person(100, 600), Poses.person(600, 600)));
        frame.getPersons().get(0).setAppearance(List.of(0.5f, 0.5f));
        input.pipeInput("cam", frame);
        assertThat(output.readValue().getPersons()).hasSize(2);
    }

    @Test
    void trackerSettingsAreValidatedNamingTheKey() {
        Map<String, Object> settings = new LinkedHashMap<>(cluster.serdeConfig());
        settings.put(TrackerAppConfig.BOOTSTRAP_SERVERS, "unused:9092");
        settings.put(TrackerAppConfig.MIN_HITS, "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrackerAppConfig(settings))
                .hasMessageContaining(TrackerAppConfig.MIN_HITS);
        settings.put(TrackerAppConfig.MIN_HITS, "3");
        settings.put(TrackerAppConfig.LOW_SCORE, "0.9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrackerAppConfig(settings))
                .hasMessageContaining(TrackerAppConfig.LOW_SCORE);
        assertThat(TrackerAppConfig.trackerConfig(Map.of())).isEqualTo(TrackerConfig.DEFAULTS);
    }
}
