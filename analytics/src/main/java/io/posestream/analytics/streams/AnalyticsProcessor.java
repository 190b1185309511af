package io.posestream.analytics.streams;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.CameraAnalytics;
import io.posestream.analytics.engine.CameraAnalyticsCodec;
import io.posestream.analytics.engine.FrameOutcome;
import io.posestream.analytics.engine.ZoneOccupancy;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.CameraRules;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue between the state store and the engine: loads the camera's {@link CameraAnalytics}, hands it the pose
 * event, stores it back, and forwards activity events (keyed by camera) to one sink and changed zone counts
 * (keyed by camera/zone) to the other. State and outputs commit together, so a restart resumes exactly.
 */
final class AnalyticsProcessor implements Processor<String, PoseEventView, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsProcessor.class);

    private final AnalyticsRules rules;
    private final Set<String> camerasSeen = new HashSet<>();
    /**
     * Each camera's state as last written to the store, so it is decoded once per task rather than once per event.
     * Every event still writes it back (the store, its changelog and the outputs commit together); the map only
     * saves reading it, and is emptied whenever Streams (re)initialises the task, e.g. after an aborted
     * transaction restores the store, so it never holds more than the store does.
     */
    private final Map<String, CameraAnalytics> states = new HashMap<>();

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;

    AnalyticsProcessor(AnalyticsRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(AnalyticsTopology.STORE);
        states.clear();
    }

    @Override
    public void process(Record<String, PoseEventView> record) {
        PoseEventView event = record.value();
        if (event == null) {
            LOG.warn("Ignoring a record without value (key {}) at {}", record.key(), where());
            return;
        }
        String camera = event.cameraId();
        CameraRules cameraRules = rules.forCamera(camera);
        if (camerasSeen.add(camera)) {
            LOG.info(
                    "Analysing camera {} from frame {} with {} rules",
                    camera,
                    event.frame().seq(),
                    cameraRules.rules().size());
        }
        event.skipped()
                .forEach((index, why) -> LOG.warn(
                        "Camera {} frame {}: person {} ignored: {} (at {})",
                        camera,
                        event.frame().seq(),
                        index,
                        why,
                        where()));
        if (cameraRules.rules().isEmpty()) {
            return;
        }
        CameraAnalytics state = states.computeIfAbsent(camera, this::load);
        FrameOutcome outcome = state.accept(event.frame(), cameraRules);
        store.put(camera, CameraAnalyticsCodec.encode(state));
        for (Activity activity : outcome.activities()) {
            LOG.debug("Camera {} frame {}: {}", camera, event.frame().seq(), activity);
            context.forward(
                    record.withKey(camera).withValue(ActivityRecords.event(event, activity)),
                    AnalyticsTopology.EVENTS_SINK);
        }
        for (ZoneOccupancy count : outcome.counts()) {
            context.forward(
                    record.withKey(ActivityRecords.zoneKey(camera, count.zone()))
                            .withValue(ActivityRecords.count(event, count)),
                    AnalyticsTopology.COUNTS_SINK);
        }
    }

    private CameraAnalytics load(String camera) {
        byte[] stored = store.get(camera);
        return stored == null ? new CameraAnalytics() : CameraAnalyticsCodec.decode(stored);
    }

    @Override
    public void close() {
        states.clear();
    }

    private String where() {
        Optional<RecordMetadata> meta = context.recordMetadata();
        return meta.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("(no source record)");
    }
}
