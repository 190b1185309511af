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
    void refusesAnUnknownFormat() {
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {9, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {2, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {1, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("truncated");
    }
}
