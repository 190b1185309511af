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
            }
        }
        assertThat(restored.accept(39, 39 * 40L, true, List.of())).isEmpty();
        assertThat(restored.droppedFrames()).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownFormat() {
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {9, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> CameraStateCodec.decode(new byte[] {1, 0, 0}, TrackerConfig.DEFAULTS))
                .hasMessageContaining("truncated");
    }
}
