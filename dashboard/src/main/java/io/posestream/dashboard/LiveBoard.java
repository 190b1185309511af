package io.posestream.dashboard;

import io.posestream.avro.ActivityEvent;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.ImageEncoding;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.TrackedPerson;
import io.posestream.avro.ZoneCount;
import io.posestream.schemas.CocoKeypoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live state: validates incoming frames and pose events, joins them per camera, keeps each camera's
 * figures, and publishes tiles, figures and skip counters to the {@link EventHub}; with a rules file, also the
 * cameras' analytics panels ({@link AnalyticsBoard}) from the activity events and zone counts. Fed by one reader
 * thread; {@link #figures()}, {@link #analytics()} and {@link #counters()} may be read from any thread.
 */
final class LiveBoard implements FrameEventJoiner.Listener {
    /** The topic a record came from. */
    enum Source {
        FRAMES,
        EVENTS,
        ANALYTICS
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveBoard.class);
    /** Skips logged at WARN before switching to every {@value #WARN_EVERY}th, so a flood cannot drown the log. */
    private static final int WARN_FIRST = 20;

    private static final int WARN_EVERY = 1000;
    private static final int MAX_REASON = 400;

    private final EventHub hub;
    private final LongSupplier clock;
    private final long windowMs;
    private final long tracksWindowMs;
    private final long staleAfterMs;
    private final long posedHoldMs;
    private final int maxCameras;
    private final int maxPersons;
    private final FrameEventJoiner joiner;
    /** Null without a rules file. */
    private final AnalyticsBoard analytics;

    private final Map<String, CameraStats> cameras = new HashMap<>();
    private final Map<String, CameraFigures> published = new ConcurrentHashMap<>();
    /** Consumer lag per partition as of the last tick (the consumer only knows it after a fetch). */
    private final Map<TopicPartition, Long> lastLags = new HashMap<>();

    private volatile SkipCounters counters = new SkipCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "");
    private long frames;
    private long events;
    private long joined;
    private long framesWithoutEvent;
    private long eventsWithoutFrame;
    private long malformedFrames;
    private long malformedEvents;
    private long activities;
    private long zoneCounts;
    private long malformedAnalytics;
    private String lastSkipReason = "";

    LiveBoard(DashboardConfig config, EventHub hub, LongSupplier clock) {
        this.hub = hub;
        this.clock = clock;
        this.windowMs = config.figuresWindow().toMillis();
        this.tracksWindowMs = config.tracksWindow().toMillis();
        this.staleAfterMs = config.staleAfter().toMillis();
        this.posedHoldMs = config.posedHold().toMillis();
        this.maxCameras = config.maxCameras();
        this.maxPersons = config.maxPersons();
        this.joiner = new FrameEventJoiner(config.joinTimeout(), config.joinBufferFrames(), this);
        this.analytics = config.rules()
                .map(rules -> new AnalyticsBoard(rules, config.activityListSize(), maxCameras, hub))
                .orElse(null);
    }

    /** A frame read from {@code partition} at {@code offset}; invalid ones are counted and skipped. */
    void onFrame(Frame frame, TopicPartition partition, long offset) {
        String problem = problemWith(frame);
        if (problem == null) {
            problem = beyondCameras(frame.getCameraId());
        }
        if (problem != null) {
            malformedFrames++;
            skipped(where(partition, offset, frame.getCameraId()) + ": " + problem);
            return;
        }
        long now = clock.getAsLong();
        frames++;
        camera(frame.getCameraId()).frameArrived(partition, now);
        joiner.onFrame(frame, now);
    }

    /** A pose event read from {@code partition} at {@code offset}; invalid ones are counted and skipped. */
    void onEvent(PoseEvent event, TopicPartition partition, long offset) {
        String problem = problemWith(event);
        if (problem == null && event.getPersons().size() > maxPersons) {
            problem = event.getPersons().size() + " persons, more than " + DashboardConfig.MAX_PERSONS + " ("
                    + maxPersons + ")";
        }
        if (problem == null) {
            problem = beyondCameras(event.getCameraId());
        }
        if (problem != null) {
            malformedEvents++;
            skipped(where(partition, offset, event.getCameraId()) + ": " + problem);
            return;
        }
        long now = clock.getAsLong();
        events++;
        camera(event.getCameraId()).eventArrived(event, partition, now);
        joiner.onEvent(event, now);
    }

    /** An activity event read from {@code partition} at {@code offset}; invalid ones are counted and skipped. */
    void onActivity(ActivityEvent event, TopicPartition partition, long offset) {
        if (acceptable(AnalyticsBoard.problemWith(event), event.getCameraId(), partition, offset)) {
            activities++;
            analytics.onActivity(event);
        }
    }

    /** A zone count read from {@code partition} at {@code offset}; invalid ones are counted and skipped. */
    void onZoneCount(ZoneCount count, TopicPartition partition, long offset) {
        if (acceptable(AnalyticsBoard.problemWith(count), count.getCameraId(), partition, offset)) {
            zoneCounts++;
            analytics.onZoneCount(count);
        }
    }

    /** Whether an analytics record with this problem (null: none) can be shown; counts and logs it if not. */
    private boolean acceptable(String problem, String cameraId, TopicPartition partition, long offset) {
        String why = problem != null ? problem : analytics.beyondCameras(cameraId);
        if (why == null) {
            return true;
        }
        malformedAnalytics++;
        skipped(where(partition, offset, cameraId) + ": " + why);
        return false;
    }

    /** A record that could not be decoded at all. */
    void onUnreadable(TopicPartition partition, long offset, String key, Source source, String reason) {
        switch (source) {
            case FRAMES -> malformedFrames++;
            case EVENTS -> malformedEvents++;
            case ANALYTICS -> malformedAnalytics++;
        }
        skipped(where(partition, offset, key) + ": " + reason);
    }

    /**
     * Releases join partners that waited too long, recomputes every camera's figures and pushes those that
     * changed, plus the counters. {@code lag} gives the consumer lag of a partition, or -1 when unknown.
     */
    void tick(ToLongFunction<TopicPartition> lag) {
        long now = clock.getAsLong();
        joiner.expire(now);
        for (Map.Entry<String, CameraStats> entry : cameras.entrySet()) {
            CameraStats stats = entry.getValue();
            for (TopicPartition partition : stats.partitions()) {
                lastLags.put(partition, lag.applyAsLong(partition));
            }
            CameraFigures figures = figuresOf(stats, now);
            if (!figures.equals(published.put(entry.getKey(), figures))) {
                hub.publish("figures/" + entry.getKey(), "figures", TileMessages.figures(figures));
            }
        }
        publishCounters();
    }

    @Override
    public void joined(Frame frame, PoseEvent event) {
        joined++;
        show(frame, event);
    }

    @Override
    public void sequenceRestarted(String cameraId) {
        camera(cameraId).sequenceRestarted();
    }

    @Override
    public void frameWithoutEvent(Frame frame, String reason) {
        framesWithoutEvent++;
        camera(frame.getCameraId()).countFrameWithoutEvent();
        LOG.debug("Frame without pose event: camera {} seq {}: {}", frame.getCameraId(), frame.getSeq(), reason);
        // Still the newest picture of the camera: shown without skeletons, so a stalled pipeline is visible.
        show(frame, null);
    }

    @Override
    public void eventWithoutFrame(PoseEvent event, String reason) {
        eventsWithoutFrame++;
        camera(event.getCameraId()).countEventWithoutFrame();
        lastSkipReason = "pose event camera " + event.getCameraId() + " seq " + event.getSeq() + ": " + reason;
        LOG.debug("Skipped {}", lastSkipReason);
    }

    /** The latest figures of every camera seen. */
    Map<String, CameraFigures> figures() {
        return Map.copyOf(published);
    }

    SkipCounters counters() {
        return counters;
    }

    /** The latest analytics panel message of every camera, by camera id; empty without a rules file. */
    Map<String, String> analytics() {
        return analytics == null ? Map.of() : analytics.messages();
    }

    private void show(Frame frame, PoseEvent event) {
        CameraStats stats = camera(frame.getCameraId());
        boolean posed = event != null && event.getFrameStatus() == FrameStatus.POSED;
        if (!stats.takeForTile(frame.getSeq(), frame.getCaptureTime().toEpochMilli(), posed, posedHoldMs)) {
            return; // a newer frame, or a posed one not long before, is on the tile
        }
        CameraFigures figures = figuresOf(stats, clock.getAsLong());
        published.put(frame.getCameraId(), figures);
        hub.publish("tile/" + frame.getCameraId(), "tile", TileMessages.tile(frame, event, figures));
    }

    /** The camera's figures, with the lag of its partitions as of the last tick (-1 while any is unknown). */
    private CameraFigures figuresOf(CameraStats stats, long now) {
        long total = 0;
        for (TopicPartition partition : stats.partitions()) {
            long behind = lastLags.getOrDefault(partition, -1L);
            if (behind < 0) {
                return stats.figures(now, staleAfterMs, -1);
            }
            total += behind;
        }
        return stats.figures(now, staleAfterMs, total);
    }

    /** Why a record of this camera is not shown because too many cameras are, or null. */
    private String beyondCameras(String cameraId) {
        if (cameras.size() < maxCameras || cameras.containsKey(cameraId)) {
            return null;
        }
        return "a new camera while " + maxCameras + " are shown (" + DashboardConfig.MAX_CAMERAS + ")";
    }

    private CameraStats camera(String cameraId) {
        return cameras.computeIfAbsent(cameraId, id -> {
            LOG.info("Camera {} appeared", id);
            return new CameraStats(id, windowMs, tracksWindowMs);
        });
    }

    private void publishCounters() {
        SkipCounters now = new SkipCounters(
                frames,
                events,
                joined,
                framesWithoutEvent,
                eventsWithoutFrame,
                malformedFrames,
                malformedEvents,
                activities,
                zoneCounts,
                malformedAnalytics,
                lastSkipReason);
        if (!now.equals(counters)) {
            counters = now;
            hub.publish("counters", "counters", TileMessages.counters(now));
        }
    }

    private void skipped(String fullReason) {
        // Schema mismatches name both schemas in full: enough of it to tell what was wrong.
        String reason = fullReason.length() > MAX_REASON ? fullReason.substring(0, MAX_REASON) + "…" : fullReason;
        lastSkipReason = reason;
        long skips = malformedFrames + malformedEvents + malformedAnalytics;
        if (skips <= WARN_FIRST || skips % WARN_EVERY == 0) {
            LOG.warn("Skipped record {} ({} skipped so far)", reason, skips);
        } else {
            LOG.debug("Skipped record {}", reason);
        }
    }

    private static String where(TopicPartition partition, long offset, String cameraId) {
        return partition + "@" + offset + (cameraId == null || cameraId.isEmpty() ? "" : " (camera " + cameraId + ")");
    }

    /** Why a frame cannot be shown, or null when it can. */
    static String problemWith(Frame frame) {
        if (frame.getCameraId() == null || frame.getCameraId().isBlank()) {
            return "empty cameraId";
        }
        if (frame.getWidth() <= 0 || frame.getHeight() <= 0) {
            return "image size " + frame.getWidth() + "x" + frame.getHeight() + " is not positive";
        }
        if (frame.getImage() == null || !frame.getImage().hasRemaining()) {
            return "no image bytes";
        }
        if (frame.getEncoding() != ImageEncoding.JPEG && frame.getEncoding() != ImageEncoding.PNG) {
            return "image encoding " + frame.getEncoding() + " cannot be shown";
        }
        return null;
    }

    /** Why a pose event cannot be drawn, or null when it can. */
    static String problemWith(PoseEvent event) {
        if (event.getCameraId() == null || event.getCameraId().isBlank()) {
            return "empty cameraId";
        }
        List<TrackedPerson> persons = event.getPersons();
        for (int i = 0; i < persons.size(); i++) {
            TrackedPerson person = persons.get(i);
            if (person.getKeypoints().size() != CocoKeypoints.COUNT) {
                return "person " + i + " (track " + person.getTrackId() + ") has "
                        + person.getKeypoints().size() + " keypoints, expected " + CocoKeypoints.COUNT
                        + " (COCO order)";
            }
            if (person.getBox() == null) {
                return "person " + i + " (track " + person.getTrackId() + ") has no box";
            }
        }
        return null;
    }
}
