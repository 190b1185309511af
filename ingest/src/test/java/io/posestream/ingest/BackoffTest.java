package io.posestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheCapAndResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(7));
        long[] steps = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long step : steps) {
            assertThat(backoff.next().toMillis()).isBetween(step * 8 / 10, step);
        }
        assertThat(backoff.attempts()).isEqualTo(steps.length);
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(400L, 500L);
    }

    @Test
    void jitterSpreadsCameras() {
        Random random = new Random(3);
        long first = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), random)
                .next()
                .toMillis();
        long second = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), random)
                .next()
                .toMillis();
        assertThat(first).isNotEqualTo(second);
    }
}
