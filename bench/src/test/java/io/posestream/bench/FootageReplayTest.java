package io.posestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.posestream.tracker.eval.PoseTrackData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The identity agreement bench footage prints: a slower replay's ids against the full-rate replay's. */
class FootageReplayTest {
    private static final List<PoseTrackData.FrameRecord> FOUR_FRAMES = LongStream.rangeClosed(1, 4)
            .mapToObj(i -> new PoseTrackData.FrameRecord(i, 100 * i, JsonNodeFactory.instance.objectNode(), List.of()))
            .toList();

    @Test
    void theSamePeopleUnderOtherIdsAgreeFully() {
        Map<FootageReplay.Detection, Long> reference = ids(7, 7, 7, 7);
        assertThat(FootageReplay.agreement(reference, ids(3, 3, 3, 3), FOUR_FRAMES))
                .isCloseTo(100, within(1e-9));
    }

    @Test
    void aTrackSplitInTwoAgreesHalf() {
        // IDTP: the reference's id 7 pairs with one of the halves, sharing 2 detections; 2 * 2 / (4 + 4) = 50%.
        assertThat(FootageReplay.agreement(ids(7, 7, 7, 7), ids(1, 1, 2, 2), FOUR_FRAMES))
                .isCloseTo(50, within(1e-9));
    }

    @Test
    void onlyThePosedFramesOfTheReferenceCount() {
        // Posed: frames 1 and 3, where the replay matched the same person under one id; frames 2 and 4 were not posed.
        Map<FootageReplay.Detection, Long> replay = new HashMap<>();
        replay.put(new FootageReplay.Detection(1, 0), 5L);
        replay.put(new FootageReplay.Detection(3, 0), 5L);
        List<PoseTrackData.FrameRecord> posed = List.of(FOUR_FRAMES.get(0), FOUR_FRAMES.get(2));
        assertThat(FootageReplay.agreement(ids(7, 7, 7, 7), replay, posed)).isCloseTo(100, within(1e-9));
        // A detection the replay did not report (unconfirmed) counts against it: 2 * 1 / (2 + 1).
        replay.remove(new FootageReplay.Detection(3, 0));
        assertThat(FootageReplay.agreement(ids(7, 7, 7, 7), replay, posed)).isCloseTo(200.0 / 3, within(1e-9));
    }

    /** One detection per frame (index 0) in frames 1..n, with these track ids. */
    private static Map<FootageReplay.Detection, Long> ids(long... trackIds) {
        Map<FootageReplay.Detection, Long> ids = new HashMap<>();
        for (int i = 0; i < trackIds.length; i++) {
            ids.put(new FootageReplay.Detection(i + 1, 0), trackIds[i]);
        }
        return ids;
    }
}
