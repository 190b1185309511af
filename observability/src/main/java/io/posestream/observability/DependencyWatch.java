package io.posestream.observability;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether something a service depends on (the Kafka cluster, the schema registry) answers, and says so the
 * same way in every service: in a few log lines rather than a flood, and in readiness.
 *
 * <p>Log lines, all naming the service, the dependency and its (masked) address:
 * <ul>
 *   <li>at start, while it has never answered: one WARN saying what the service waits for, then one WARN every
 *   {@code reminder} (30 s by default) with how long it has waited, and one INFO once it answers;</li>
 *   <li>after start, per outage: one WARN when it stops answering and one INFO with the outage's length when it is
 *   back. Nothing in between, however long the outage.</li>
 * </ul>
 * The probe runs on the watch's own thread: every {@code interval} while the dependency answers, back to back
 * (each attempt bounded by the probe's own timeout, at least {@code interval} apart) while it does not.
 */
public final class DependencyWatch implements AutoCloseable {
    /** Default time between probes while the dependency answers, and the least between probes while it does not. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** Default time between the "still waiting" lines at start. */
    public static final Duration DEFAULT_REMINDER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(DependencyWatch.class);

    /** One attempt to reach the dependency: returns when it answered, throws saying why it did not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final String service;
    private final String dependency;
    private final String address;
    private final String purpose;
    private final Probe probe;
    private final Duration interval;
    private final Duration reminder;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final Thread thread;
    private final Instant started = Instant.now();
    private volatile boolean closed;
    /** Null until the first answer. */
    private volatile Instant firstAnswer;
    /** When the current outage began (after start), or null while the dependency answers. */
    private volatile Instant downSince;

    private volatile String lastProblem = "not probed yet";

    /**
     * @param service    the service watching, for log lines (e.g. {@code tracker})
     * @param dependency what is watched, in words (e.g. {@code broker}, {@code schema registry})
     * @param address    where it is, masked: never pass credentials
     * @param purpose    what the service waits for it to do, for the first line (e.g. {@code to read posestream.poses})
     * @param probe      one attempt to reach it, bounded in time
     */
    public DependencyWatch(String service, String dependency, String address, String purpose, Probe probe) {
        this(service, dependency, address, purpose, probe, DEFAULT_INTERVAL, DEFAULT_REMINDER);
    }

    /** As above, with the probe interval and the reminder period given (tests use short ones). */
    public DependencyWatch(
            String service,
            String dependency,
            String address,
            String purpose,
            Probe probe,
            Duration interval,
            Duration reminder) {
        this.service = service;
        this.dependency = dependency;
        this.address = address;
        this.purpose = purpose;
        this.probe = probe;
        this.interval = interval;
        this.reminder = reminder;
        this.thread = new Thread(this::run, service + "-watch-" + dependency.replace(' ', '-'));
        this.thread.setDaemon(true);
    }

    /** Starts probing on the watch's thread; returns at once. */
    public DependencyWatch start() {
        thread.start();
        return this;
    }

    /**
     * Waits until the dependency has answered once. Returns false when {@code timeout} (null: no limit) passed
     * first; {@link #problem()} then says why it did not answer.
     */
    public boolean awaitFirstAnswer(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            reached.await();
            return true;
        }
        return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while the dependency answers (false before its first answer and during an outage). */
    public boolean reachable() {
        return firstAnswer != null && downSince == null;
    }

    /** Why the latest probe failed, or null while the dependency answers. */
    public String problem() {
        return reachable() ? null : lastProblem;
    }

    /** Where the dependency is (masked) and what it is, e.g. {@code broker at 127.0.0.1:9092}. */
    public String describe() {
        return dependency + " at " + address;
    }

    /** A readiness check: down before the first answer and during every outage, naming since when and why. */
    public HealthCheck readiness() {
        return () -> {
            if (firstAnswer == null) {
                return HealthCheck.Result.down(
                        "waiting for the " + describe() + " since " + seconds(started) + ": " + lastProblem);
            }
            Instant since = downSince;
            return since == null
                    ? HealthCheck.Result.up(describe())
                    : HealthCheck.Result.down(
                            dependency + " unreachable since " + seconds(since) + " (" + address + "): " + lastProblem);
        };
    }

    /**
     * A readiness check that is down only until the first answer: for a dependency the service can work without
     * for a while once started (a schema registry, when every schema is cached). During a later outage it stays up
     * and says so in its detail.
     */
    public HealthCheck startupReadiness() {
        HealthCheck full = readiness();
        return () -> {
            if (firstAnswer == null) {
                return full.check();
            }
            Instant since = downSince;
            return since == null
                    ? HealthCheck.Result.up(describe())
                    : HealthCheck.Result.up(dependency + " unreachable since " + seconds(since) + " (" + address
                            + "); working with what is cached: " + lastProblem);
        };
    }

    private void run() {
        long nextReminder = System.nanoTime() + reminder.toNanos();
        boolean warnedAtStart = false;
        while (!closed) {
            long attemptStart = System.nanoTime();
            Instant attemptAt = Instant.now();
            String failure = attempt();
            if (closed) {
                return;
            }
            if (failure == null) {
                if (firstAnswer == null) {
                    firstAnswer = Instant.now();
                    if (warnedAtStart) {
                        LOG.info(
                                "{}: the {} answers, after {} of waiting",
                                service,
                                describe(),
                                length(Duration.between(started, firstAnswer)));
                    } else {
                        LOG.debug("{}: the {} answers", service, describe());
                    }
                    reached.countDown();
                } else if (downSince != null) {
                    Duration outage = Duration.between(downSince, Instant.now());
                    downSince = null;
                    LOG.info("{}: the {} is back after an outage of {}", service, describe(), length(outage));
                }
            } else {
                lastProblem = failure;
                if (firstAnswer == null) {
                    if (!warnedAtStart) {
                        warnedAtStart = true;
                        LOG.warn("{}: waiting for the {} {}: {}", service, describe(), purpose, failure);
                    } else if (System.nanoTime() >= nextReminder) {
                        LOG.warn(
                                "{}: still waiting for the {}, for {} now: {}",
                                service,
                                describe(),
                                length(Duration.between(started, Instant.now())),
                                failure);
                    }
                    if (System.nanoTime() >= nextReminder) {
                        nextReminder = System.nanoTime() + reminder.toNanos();
                    }
                } else if (downSince == null) {
                    downSince = attemptAt;
                    LOG.warn(
                            "{}: lost the {} at {}: {}; carrying on once it is back",
                            service,
                            describe(),
                            seconds(attemptAt),
                            failure);
                }
            }
            long wait = (reachable() ? interval.toNanos() : interval.toNanos() - (System.nanoTime() - attemptStart));
            if (wait > 0 && !pause(wait)) {
                return;
            }
        }
    }

    /** One probe: null when the dependency answered, else why not. */
    private String attempt() {
        try {
            probe.check();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        }
    }

    private boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A duration as an operator reads it: {@code 17.3 s}, {@code 4 min 05 s}. */
    static String length(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    /** Stops probing. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
