package io.posestream.analytics.streams;

import io.posestream.analytics.engine.Activity;
import io.posestream.analytics.engine.FrameOutcome;
import io.posestream.analytics.engine.ZoneOccupancy;
import io.posestream.analytics.rules.AnalyticsRules;
import io.posestream.analytics.rules.CameraRules;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue between the state store and the engine: hands the camera's state ({@link CameraStateStore}) the pose
 * event and forwards activity events (keyed by camera) to one sink and changed zone counts (keyed by camera/zone)
 * to the other. State and outputs commit together, so a restart resumes exactly.
 */
final class AnalyticsProcessor implements Processor<String, PoseEventView, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsProcessor.class);

    private final AnalyticsRules rules;
    private final Set<String> camerasSeen = new HashSet<>();

    private ProcessorContext<String, SpecificRecord> context;
    private CameraStateStore store;

    AnalyticsProcessor(AnalyticsRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(AnalyticsTopology.STORE);
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
        FrameOutcome outcome = store.forUpdate(camera).accept(event.frame(), cameraRules);
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

    @Override
    public void close() {
        // Before the task's last commit, which writes what the store now holds; the task may then move away.
        store.release();
    }

    private String where() {
        Optional<RecordMetadata> meta = context.recordMetadata();
        return meta.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("(no source record)");
    }
}
