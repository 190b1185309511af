package io.posestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    private static List<Long> kept(FrameSampler sampler, long[] pts) {
        List<Long> kept = new ArrayList<>();
        for (long p : pts) {
            if (sampler.accept(p)) {
                kept.add(p);
            }
        }
        return kept;
    }

    private static long[] stream(long start, double fps, int frames) {
        long[] pts = new long[frames];
        for (int i = 0; i < frames; i++) {
            pts[i] = start + Math.round(i * 1_000_000 / fps);
        }
        return pts;
    }

    @Test
    void keepsOneFramePerSlotByTimestamp() {
        // 25 fps source, 5 fps target: every fifth frame, whatever the first timestamp.
        assertThat(kept(new FrameSampler(5), stream(1_000_000, 25, 26)))
                .containsExactly(1_000_000L, 1_200_000L, 1_400_000L, 1_600_000L, 1_800_000L, 2_000_000L);
        // Target above the source rate: every frame.
        assertThat(kept(new FrameSampler(30), stream(0, 10, 10))).hasSize(10);
    }

    @Test
    void samePointsOnEveryReplayAndAfterReset() {
        long[] pts = stream(0, 29.97, 300);
        FrameSampler sampler = new FrameSampler(3);
        List<Long> first = kept(sampler, pts);
        sampler.reset();
        assertThat(kept(sampler, pts)).isEqualTo(first);
        assertThat(kept(new FrameSampler(3), pts)).isEqualTo(first).hasSize(30);
    }

    @Test
    void jitterDoesNotChangeTheRate() {
        Random random = new Random(1);
        long[] pts = stream(0, 30, 3000);
        for (int i = 1; i < pts.length; i++) {
            pts[i] += random.nextInt(10_000) - 5_000; // +-5 ms network jitter on a 33 ms frame interval
        }
        int kept = kept(new FrameSampler(5), pts).size();
        double seconds = Duration.ofMillis(100_000).toSeconds();
        assertThat(kept / seconds).isBetween(4.9, 5.1);
    }

    @Test
    void timestampsGoingBackStartANewSeries() {
        FrameSampler sampler = new FrameSampler(1);
        assertThat(sampler.accept(5_000_000)).isTrue();
        assertThat(sampler.accept(5_500_000)).isFalse();
        assertThat(sampler.accept(0)).isTrue();
        assertThat(sampler.accept(500_000)).isFalse();
        assertThat(sampler.accept(1_000_000)).isTrue();
    }
}
