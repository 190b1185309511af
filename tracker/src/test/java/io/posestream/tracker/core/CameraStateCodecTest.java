package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CameraStateCodecTest {

    @Test
    void aRestoredCameraContinuesExactlyAsTheOriginal() {
        CameraTracker original = new CameraTracker(TrackerConfig.DEFAULTS);
        CameraTracker restored = null;
        for (int f = 0; f < 40; f++) {
            List<Pose> detections = new ArrayList<>();
            detections.add(Poses.person(100 + 7 * f, 600));
            if (f % 7 != 3) {
                detections.add(Poses.person(900 - 5 * f, 500, 250, 0.8));
            }
            List<TrackedPose> expected =
                    original.accept(f, f * 40L, true, detections).orElseThrow();
            if (f == 20) {
                restored = CameraStateCodec.decode(CameraStateCodec.encode(original), TrackerConfig.DEFAULTS);
                assertThat(restored.lastSeq()).isEqualTo(20);
                assertThat(restored.tracker().nextId())
                        .isEqualTo(original.tracker().nextId());
            } else if (restored != null) {
                List<TrackedPose> got =
                        restored.accept(f, f * 40L, true, detections).orElseThrow();
                assertThat(got)
                        .extracting(TrackedPose::trackId, TrackedPose::phase, TrackedPose::detection)
                        .containsExactlyElementsOf(expected.stream()
                                .map(t -> org.assertj.core.groups.Tuple.tuple(t.trackId(), t.phase(), t.detection()))
                                .toList());
                // Motion filter and smoothed keypoints survive too (stored as floats).
                for (int i = 0; i < got.size(); i++) {
                    for (int k = 0; k < 17; k++) {
                        assertThat(got.get(i).smoothed().x(k))
                                .isCloseTo(expected.get(i).smoothed().x(k), org.assertj.core.data.Offset.offset(0.01));
                    }
                    assertThat(got.get(i).vx())
                            .isCloseTo(expected.get(i).vx(), org.assertj.core.data.Offset.offset(0.01));
                }
            }
        }
        assertThat(restored.accept(39, 39 * 40L, true, List.of())).isEmpty();
        assertThat(restored.droppedFrames()).isEqualTo(1);
    }

    @Test
    void stateWrittenBeforeTheMotionFilterIsStillRead() {
        // Version 1: header, then per track id, phase, hits, age, last seen, velocity, pose; no score histogram.
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(1 + 5 * 8 + 4 + 8 + 1 + 4 + 4 + 8 + 8 + 56 * 4);
        v1.put((byte) 1)
                .putLong(41)
                .putLong(1640)
                .putLong(2)
                .putLong(0)
                .putLong(8)
                .putInt(1);
        v1.putLong(7)
                .put((byte) TrackPhase.CONFIRMED.ordinal())
                .putInt(12)
                .putInt(15)
                .putLong(1640);
        v1.putFloat(120f).putFloat(0f);
        Pose pose = Poses.person(400, 650);
        v1.putFloat((float) pose.box().x1())
                .putFloat((float) pose.box().y1())
                .putFloat((float) pose.box().x2())
                .putFloat((float) pose.box().y2())
                .putFloat((float) pose.personScore());
        for (int k = 0; k < 17; k++) {
            v1.putFloat((float) pose.x(k)).putFloat((float) pose.y(k)).putFloat((float) pose.score(k));
        }
        CameraTracker camera = CameraStateCodec.decode(v1.array(), TrackerConfig.DEFAULTS);
        assertThat(camera.lastSeq()).isEqualTo(41);
        assertThat(camera.droppedFrames()).isEqualTo(2);
        assertThat(camera.tracker().nextId()).isEqualTo(8);
        assertThat(camera.tracker().tracks()).singleElement().satisfies(track -> {
            assertThat(track.id()).isEqualTo(7);
            assertThat(track.phase()).isEqualTo(TrackPhase.CONFIRMED);
            assertThat(track.vx()).isEqualTo(120);
        });
        // The person walked on at 120 px/s: the track continues with its id.
        List<TrackedPose> next =
                camera.accept(42, 2140, true, List.of(Poses.person(460, 650))).orElseThrow();
        assertThat(next).singleElement().satisfies(t -> {
            assertThat(t.trackId()).isEqualTo(7);
            assertThat(t.phase()).isEqualTo(TrackPhase.CONFIRMED);
        });
    }

    @Test
    void aTracksColoursAndDormancySurviveARestart() {
        CameraTracker camera = new CameraTracker(TrackerConfig.DEFAULTS);
        long t = 0;
        for (int f = 0; f < 5; f++, t += 500) {
            camera.accept(f, t, true, List.of(Poses.dressed(Poses.person(400 + 20 * f, 650), 3, 13)));
        }
        // Gone past the lost window: dormant, waiting to be recognised by its colours.
        camera.accept(5, t + TrackerConfig.DEFAULTS.maxLostMs() + 500, true, List.of());

        CameraTracker restored = CameraStateCodec.decode(CameraStateCodec.encode(camera), TrackerConfig.DEFAULTS);

        Track track = restored.tracker().tracks().get(0);
        assertThat(track.phase()).isEqualTo(TrackPhase.DORMANT);
        assertThat(track.appearance())
                .containsExactly(camera.tracker().tracks().get(0).appearance());
        assertThat(track.appearance()[3]).isEqualTo(1f);
    }

    @Test
    void stateWrittenBeforeColoursIsStillRead() {
        CameraTracker camera = new CameraTracker(TrackerConfig.DEFAULTS);
        for (int f = 0; f < 3; f++) {
            camera.accept(f, f * 40L, true, List.of(Poses.person(400 + 5 * f, 650)));
        }
        // Version 2 is version 3 without the byte (and the floats) of each track's colours.
        byte[] v3 = CameraStateCodec.encode(camera);
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 1);
        v2[0] = 2;

        CameraTracker restored = CameraStateCodec.decode(v2, TrackerConfig.DEFAULTS);

        assertThat(restored.tracker().tracks()).singleElement().satisfies(track -> {
            assertThat(track.id()).isEqualTo(1);
            assertThat(track.appearance()).isNull();
        });
        assertThat(restored.accept(3, 120, true, List.of(Poses.person(415, 650)))
                        .orElseThrow())
                .singleElement()
                .satisfies(next -> assertThat(next.trackId()).isEqualTo(1));
    }

    @Test
    void refusesAnUnknownFormat() {
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {9, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {2, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {1, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("truncated");
    }
}
