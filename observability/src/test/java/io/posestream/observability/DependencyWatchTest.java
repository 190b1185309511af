package io.posestream.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/** The watch on a dependency that comes and goes, with short probe and reminder periods. */
class DependencyWatchTest {
    private static final Duration INTERVAL = Duration.ofMillis(50);

    @Test
    void atStartItSaysOnceWhatItWaitsForRemindsAndSaysWhenTheDependencyAnswers() throws Exception {
        AtomicBoolean up = new AtomicBoolean(false);
        try (Lines lines = new Lines();
                DependencyWatch watch = new DependencyWatch(
                                "svc",
                                "broker",
                                "10.0.0.1:9092",
                                "to read frames",
                                () -> {
                                    if (!up.get()) {
                                        throw new IllegalStateException("connection refused");
                                    }
                                },
                                INTERVAL,
                                Duration.ofMillis(400))
                        .start()) {
            assertThat(watch.awaitFirstAnswer(Duration.ofMillis(1200))).isFalse();
            assertThat(watch.problem()).isEqualTo("connection refused");
            HealthCheck.Result ready = watch.readiness().check();
            assertThat(ready.passing()).isFalse();
            assertThat(ready.detail())
                    .startsWith("waiting for the broker at 10.0.0.1:9092 since ")
                    .endsWith(": connection refused");
            assertThat(watch.startupReadiness().check().passing()).isFalse();

            up.set(true);
            assertThat(watch.awaitFirstAnswer(Duration.ofSeconds(10))).isTrue();
            await(watch::reachable);
            assertThat(watch.readiness().check().passing()).isTrue();

            List<String> all = lines.all();
            assertThat(all.stream()
                            .filter(l -> l.equals("WARN svc: waiting for the broker at 10.0.0.1:9092 to read "
                                    + "frames: connection refused")))
                    .hasSize(1);
            assertThat(all.stream()
                            .filter(l ->
                                    l.startsWith("WARN svc: still waiting for the broker at " + "10.0.0.1:9092, for ")))
                    .as("one reminder per 400 ms in %s", all)
                    .hasSizeBetween(1, 4);
            assertThat(all).anyMatch(l -> l.startsWith("INFO svc: the broker at 10.0.0.1:9092 answers, after "));
        }
    }

    @Test
    void anOutageAfterStartIsOneWarnAndOneInfoWithItsLengthHoweverManyProbesFail() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (Lines lines = new Lines();
                DependencyWatch watch = new DependencyWatch(
                                "svc",
                                "schema registry",
                                "http://r:8081",
                                "to read schemas",
                                () -> {
                                    if (!up.get()) {
                                        throw new IllegalStateException("HTTP 503");
                                    }
                                },
                                INTERVAL,
                                Duration.ofMillis(100))
                        .start()) {
            assertThat(watch.awaitFirstAnswer(Duration.ofSeconds(10))).isTrue();
            up.set(false);
            await(() -> !watch.reachable());
            Thread.sleep(500); // many failed probes, and several reminder periods
            HealthCheck.Result ready = watch.readiness().check();
            assertThat(ready.passing()).isFalse();
            assertThat(ready.detail())
                    .startsWith("schema registry unreachable since ")
                    .contains("(http://r:8081)");
            HealthCheck.Result startup = watch.startupReadiness().check();
            assertThat(startup.passing())
                    .as("a started service keeps going on what it cached")
                    .isTrue();
            assertThat(startup.detail()).contains("unreachable since");

            up.set(true);
            await(watch::reachable);
            List<String> all = lines.all();
            assertThat(all.stream().filter(l -> l.startsWith("WARN svc: lost the schema registry at http://r:8081")))
                    .hasSize(1);
            assertThat(
                            all.stream()
                                    .filter(
                                            l -> l.matches(
                                                    "INFO svc: the schema registry at http://r:8081 is back after an outage of \\d+\\.\\d s")))
                    .hasSize(1);
            assertThat(all).as("nothing else: %s", all).hasSize(2);
        }
    }

    @Test
    void lengthsReadAsAnOperatorWouldSayThem() {
        assertThat(DependencyWatch.length(Duration.ofMillis(17_340))).isEqualTo("17.3 s");
        assertThat(DependencyWatch.length(Duration.ofSeconds(245))).isEqualTo("4 min 05 s");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The watch's log lines, as "LEVEL message". */
    private static final class Lines extends AbstractAppender implements AutoCloseable {
        private final List<String> lines = new ArrayList<>();
        private final org.apache.logging.log4j.core.Logger logger =
                (org.apache.logging.log4j.core.Logger) LogManager.getLogger(DependencyWatch.class);

        Lines() {
            super("watch-lines-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
            start();
            logger.addAppender(this);
        }

        @Override
        public void append(LogEvent event) {
            synchronized (lines) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        }

        List<String> all() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void close() {
            logger.removeAppender(this);
            stop();
            ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        }
    }
}
