package io.posestream.tracker.streams;

import io.posestream.avro.FrameStatus;
import io.posestream.avro.Person;
import io.posestream.avro.PoseEvent;
import io.posestream.avro.PoseFrame;
import io.posestream.tracker.core.CameraTracker;
import io.posestream.tracker.core.Pose;
import io.posestream.tracker.core.TrackedPose;
import io.posestream.tracker.core.TrackerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue between the state store and the tracking core: loads the camera's {@link CameraTracker}, hands it the
 * frame, stores it back and forwards one {@link PoseEvent} per accepted frame, keyed by camera id. Duplicate and
 * out-of-order frames produce nothing and are counted (in the camera state and the {@code dropped-frames} sensor).
 */
final class TrackProcessor implements Processor<String, PoseFrame, String, PoseEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TrackProcessor.class);
    /** Oversized frames logged at WARN before switching to every {@value #WARN_EVERY}th, so a flood cannot drown it. */
    private static final int WARN_FIRST = 20;

    private static final int WARN_EVERY = 1000;

    private final TrackerConfig config;
    private final String storeName;
    private final int maxPersons;
    private long oversizedFrames;
    private final Set<String> camerasSeen = new HashSet<>();
    private ProcessorContext<String, PoseEvent> context;
    private KeyValueStore<String, CameraTracker> store;
    private Sensor dropped;

    TrackProcessor(TrackerConfig config, String storeName, int maxPersons) {
        this.config = config;
        this.storeName = storeName;
        this.maxPersons = maxPersons;
    }

    @Override
    public void init(ProcessorContext<String, PoseEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.dropped = context.metrics()
                .addRateTotalSensor(
                        "posestream-tracker", "task-" + context.taskId(), "dropped-frames", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, PoseFrame> record) {
        PoseFrame frame = record.value();
        if (frame == null) {
            LOG.warn("Ignoring a record without value (key {}) at {}", record.key(), where());
            return;
        }
        String camera = frame.getCameraId();
        CameraTracker state = store.get(camera);
        boolean firstHere = camerasSeen.add(camera);
        if (state == null) {
            state = new CameraTracker(config);
            LOG.info("Tracking camera {} from frame {}", camera, frame.getSeq());
        } else if (firstHere) {
            LOG.info(
                    "Resuming camera {} after frame {} with {} tracks, next track id {}",
                    camera,
                    state.lastSeq(),
                    state.tracker().tracks().size(),
                    state.tracker().nextId());
        }
        boolean posed = frame.getStatus() == FrameStatus.POSED;
        Optional<List<TrackedPose>> tracks = state.accept(
                frame.getSeq(), frame.getCaptureTime().toEpochMilli(), posed, posed ? poses(frame) : List.of());
        store.put(camera, state);
        if (tracks.isEmpty()) {
            dropped.record();
            LOG.debug(
                    "Dropped frame {} of camera {} (last seen {}): duplicate or out of order, at {}",
                    frame.getSeq(),
                    camera,
                    state.lastSeq(),
                    where());
            return;
        }
        context.forward(record.withKey(camera).withValue(PoseEvents.event(frame, tracks.get())));
    }

    private List<Pose> poses(PoseFrame frame) {
        int persons = frame.getPersons().size();
        if (persons > maxPersons) {
            oversizedFrames++;
            if (oversizedFrames <= WARN_FIRST || oversizedFrames % WARN_EVERY == 0) {
                LOG.warn(
                        "Camera {} frame {} has {} persons: tracking the first {} (tracker.max.persons; {} such "
                                + "frames so far, at {})",
                        frame.getCameraId(),
                        frame.getSeq(),
                        persons,
                        maxPersons,
                        oversizedFrames,
                        where());
            }
            persons = maxPersons;
        }
        List<Pose> poses = new ArrayList<>(persons);
        for (int i = 0; i < persons; i++) {
            Person person = frame.getPersons().get(i);
            try {
                poses.add(PoseEvents.pose(person));
                String badColours = PoseEvents.badColours(person);
                if (badColours != null) {
                    LOG.warn(
                            "Camera {} frame {}: person {}: {} (at {})",
                            frame.getCameraId(),
                            frame.getSeq(),
                            i,
                            badColours,
                            where());
                }
            } catch (IllegalArgumentException e) {
                // One bad person must not cost the others their tracks.
                LOG.warn(
                        "Camera {} frame {}: person {} ignored: {} (at {})",
                        frame.getCameraId(),
                        frame.getSeq(),
                        i,
                        e.getMessage(),
                        where());
            }
        }
        return poses;
    }

    private String where() {
        Optional<RecordMetadata> meta = context.recordMetadata();
        return meta.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("(no source record)");
    }
}
