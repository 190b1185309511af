package io.posestream.inference.worker;

import io.posestream.config.ServiceConfig;
import io.posestream.inference.crops.CropPlanner;
import io.posestream.inference.model.PersonDetector;
import io.posestream.inference.model.PoseEstimator;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.models.pretrained.CenterNet;
import io.posestream.models.pretrained.MoveNet;
import io.posestream.models.savedmodel.SessionSettings;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of an inference worker, declared once with defaults and docs. {@code inference.*} keys are the worker's;
 * any other key goes to its Kafka consumer and producer as it is (security, SASL, TLS...), and Kafka validates it.
 */
public final class InferenceConfig extends ServiceConfig {
    public static final String BOOTSTRAP_SERVERS = ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String GROUP_ID = ConsumerConfig.GROUP_ID_CONFIG;
    public static final String DETECTOR_DIR = "inference.detector.dir";
    public static final String POSE_DIR = "inference.pose.dir";
    public static final String INPUT_TOPIC = "inference.input.topic";
    public static final String OUTPUT_TOPIC = "inference.output.topic";
    public static final String DLQ_TOPIC = "inference.dlq.topic";
    public static final String DELIVERY = "inference.delivery";
    public static final String TRANSACTIONAL_ID = "inference.transactional.id";
    public static final String BATCH_FRAMES = "inference.batch.frames";
    public static final String BATCH_WAIT_MS = "inference.batch.wait.ms";
    public static final String BATCH_MAX_MS = "inference.batch.max.ms";
    public static final String POSE_BATCH = "inference.pose.batch";
    public static final String STALE_MS = "inference.stale.ms";
    public static final String LATEST_ONLY = "inference.latest.only";
    public static final String FLIP_TEST = "inference.flip.test";
    public static final String SHIFT_HEATMAP = "inference.shift.heatmap";
    public static final String DETECTOR_SCORE = "inference.detector.score.threshold";
    public static final String DETECTOR_NMS_IOU = "inference.detector.nms.iou";
    public static final String MAX_PERSONS = "inference.max.persons";
    public static final String BOX_PADDING = "inference.box.padding";
    public static final String KEYPOINT_THRESHOLD = "inference.keypoint.threshold";
    public static final String OKS_NMS_THRESHOLD = "inference.oks.nms.threshold";
    public static final String DETECT_EVERY_FRAMES = "inference.detector.interval.frames";
    public static final String DETECT_EVERY_MS = "inference.detector.interval.ms";
    public static final String CROPS_MIN_KEYPOINTS = "inference.crops.min.keypoints";
    public static final String CROPS_MOTION_LEVEL = "inference.crops.motion.level";
    public static final String CROPS_MOTION_AREA = "inference.crops.motion.area";
    public static final String CROPS_SCENE_CHANGE = "inference.crops.scene.change";
    public static final String MAX_IMAGE_PIXELS = "inference.max.image.pixels";
    public static final String INTRA_OP_THREADS = "inference.tf.intra.op.threads";
    public static final String INTER_OP_THREADS = "inference.tf.inter.op.threads";
    public static final String GPU_MEMORY_GROWTH = "inference.tf.gpu.memory.growth";
    public static final String XLA_JIT = "inference.tf.xla.jit";

    /** Exactly-once: poses and input offsets committed in one Kafka transaction. */
    public static final String EXACTLY_ONCE = "exactly_once";
    /** At-least-once: poses flushed, then offsets committed; a crash may repeat a frame's PoseFrame. */
    public static final String AT_LEAST_ONCE = "at_least_once";

    private static final Range UNIT = Range.between(0.0, 1.0);

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka cluster.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Schema registry URL(s) (Confluent REST API).")
            .define(
                    DETECTOR_DIR,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Person detector SavedModel directory (e.g. MODELS/centernet from `posestream model prepare`).")
            .define(
                    POSE_DIR,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Pose SavedModel directory (MODELS/movenet-thunder, or one from `posestream model export-hrnet`).")
            .define(
                    GROUP_ID,
                    Type.STRING,
                    "posestream-inference",
                    Importance.HIGH,
                    "Consumer group: workers with the same group share the frame topic's partitions.")
            .define(
                    DELIVERY,
                    Type.STRING,
                    EXACTLY_ONCE,
                    ConfigDef.ValidString.in(EXACTLY_ONCE, AT_LEAST_ONCE),
                    Importance.MEDIUM,
                    "exactly_once (Kafka transactions, the default) or at_least_once.")
            .define(
                    TRANSACTIONAL_ID,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Transactional id, unique per live worker; a restarted worker with the same id fences its "
                            + "predecessor at once. Default: posestream-inference-HOSTNAME-PID-N (N counts the "
                            + "workers of one JVM from 0).")
            .define(INPUT_TOPIC, Type.STRING, Topics.FRAMES, Importance.LOW, "Frame input topic.")
            .define(OUTPUT_TOPIC, Type.STRING, Topics.POSES, Importance.LOW, "PoseFrame output topic.")
            .define(
                    DLQ_TOPIC,
                    Type.STRING,
                    Topics.dlq(Topics.FRAMES),
                    Importance.LOW,
                    "Dead-letter topic: raw input records that could not be read or decoded, with error headers.")
            .define(
                    BATCH_FRAMES,
                    Type.INT,
                    8,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Most frames (from any cameras) processed together; their crops share pose network calls.")
            .define(
                    BATCH_WAIT_MS,
                    Type.LONG,
                    20L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Longest wait for more frames once one is at hand, to fill a batch.")
            .define(
                    BATCH_MAX_MS,
                    Type.LONG,
                    250L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Longest planned processing time of one batch: a batch takes only as many frames as the worker, "
                            + "at its measured time per posed frame, processes in this time (at least one, at most "
                            + "inference.batch.frames), since each frame waits for its whole batch. 0: always up to "
                            + "inference.batch.frames.")
            .define(
                    POSE_BATCH,
                    Type.INT,
                    16,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Most crops per pose network call (GPU memory bounds it; the graph's own limit also applies).")
            .define(
                    STALE_MS,
                    Type.LONG,
                    5000L,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Frames older than this (capture to arrival at the worker) are answered SKIPPED_STALE, not "
                            + "posed, so a lagging worker catches up to live; 0 poses every frame.")
            .define(
                    LATEST_ONLY,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "When a camera has several frames waiting (the worker is behind), pose the newest and answer the "
                            + "older ones SKIPPED_STALE as superseded; false poses every frame that is not stale.")
            .define(
                    FLIP_TEST,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Also run the pose network on mirrored crops and average (HRNet's test setting; twice the cost).")
            .define(
                    SHIFT_HEATMAP,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Shift mirrored heatmaps one pixel in the flip test, as HRNet does.")
            .define(DETECTOR_SCORE, Type.DOUBLE, 0.3, UNIT, Importance.MEDIUM, "Least person detector score.")
            .define(
                    DETECTOR_NMS_IOU,
                    Type.DOUBLE,
                    0.5,
                    Range.between(0.01, 1.0),
                    Importance.LOW,
                    "Person boxes overlapping a better one above this IoU are dropped.")
            .define(MAX_PERSONS, Type.INT, 20, Range.atLeast(1), Importance.MEDIUM, "Most persons posed per frame.")
            .define(
                    BOX_PADDING,
                    Type.DOUBLE,
                    1.25,
                    Range.between(1.0, 3.0),
                    Importance.LOW,
                    "Box enlargement before cropping (HRNet: 1.25).")
            .define(
                    KEYPOINT_THRESHOLD,
                    Type.DOUBLE,
                    0.2,
                    UNIT,
                    Importance.LOW,
                    "Keypoints above this score count in the person score (HRNet: 0.2).")
            .define(
                    OKS_NMS_THRESHOLD,
                    Type.DOUBLE,
                    0.9,
                    UNIT,
                    Importance.LOW,
                    "Poses overlapping a better one above this OKS are dropped (HRNet: 0.9).")
            .define(
                    DETECT_EVERY_FRAMES,
                    Type.INT,
                    4,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Tracking-driven crops: a camera's person detector runs on at most every n-th frame posed; the "
                            + "frames between are cropped where that camera's persons were, moved by their motion. 1 "
                            + "runs the detector on every frame.")
            .define(
                    DETECT_EVERY_MS,
                    Type.LONG,
                    1000L,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Tracking-driven crops: a camera's detector also runs when its last detection is older than "
                            + "this (capture time).")
            .define(
                    CROPS_MIN_KEYPOINTS,
                    Type.INT,
                    6,
                    Range.between(1, 17),
                    Importance.LOW,
                    "Tracking-driven crops: a person posed on a tracked crop with fewer keypoints above "
                            + KEYPOINT_THRESHOLD + " is lost (not published) and the detector runs on the camera's "
                            + "next frame.")
            .define(
                    CROPS_MOTION_LEVEL,
                    Type.INT,
                    25,
                    Range.between(0, 255),
                    Importance.LOW,
                    "Tracking-driven crops: a cell of the frame's 64-cell-wide grey thumbnail changed when its grey "
                            + "level moved by more than this since the camera's last posed frame.")
            .define(
                    CROPS_MOTION_AREA,
                    Type.DOUBLE,
                    0.004,
                    UNIT,
                    Importance.LOW,
                    "Tracking-driven crops: the detector runs when changed cells outside the tracked persons exceed "
                            + "this share of the frame (someone may have come in).")
            .define(
                    CROPS_SCENE_CHANGE,
                    Type.DOUBLE,
                    0.3,
                    Range.between(0.01, 1.0),
                    Importance.LOW,
                    "Tracking-driven crops: the detector runs when changed cells anywhere exceed this share of the "
                            + "frame (the scene changed).")
            .define(
                    MAX_IMAGE_PIXELS,
                    Type.LONG,
                    TopDownPipeline.Settings.DEFAULT_MAX_IMAGE_PIXELS,
                    Range.between(1, 1L << 31),
                    Importance.MEDIUM,
                    "Frames whose JPEG or PNG header gives more pixels (width x height) are answered UNDECODABLE "
                            + "and dead-lettered without being decoded, so one frame cannot take the worker's memory "
                            + "(decoded, a frame costs 3 bytes a pixel, and more while it is resized).")
            .define(
                    INTRA_OP_THREADS,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "TensorFlow threads within one op; 0 = TensorFlow's choice (all cores).")
            .define(
                    INTER_OP_THREADS,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "TensorFlow threads running ops side by side; 0 = TensorFlow's choice.")
            .define(
                    GPU_MEMORY_GROWTH,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Let TensorFlow grow GPU memory as needed instead of taking it all at start.")
            .define(
                    XLA_JIT,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Compile the models with XLA (TensorFlow's global_jit_level ON_1). TensorFlow applies it on a GPU; "
                            + "on a CPU only when the process also has TF_XLA_FLAGS=--tf_xla_cpu_global_jit. See "
                            + "docs/operations.md for what it measured.");

    /** Prefix of the worker's own keys: an unknown key with it is a typo, not a Kafka setting. */
    public static final String PREFIX = "inference.";

    public InferenceConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, PREFIX);
    }

    /** All declared settings, for documentation and the key checks of the deploy manifests. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /**
     * The detector and pose model settings: the given directories, else the pretrained CenterNet and MoveNet-Thunder
     * that {@code posestream model prepare} puts in {@code modelsDir}.
     *
     * @param detector detector SavedModel directory, or null for the pretrained one
     * @param pose     pose SavedModel directory, or null for the pretrained one
     */
    public static Map<String, Object> modelDirs(Path modelsDir, Path detector, Path pose) {
        return Map.of(
                DETECTOR_DIR, (detector != null ? detector : modelsDir.resolve(new CenterNet().dirName())).toString(),
                POSE_DIR, (pose != null ? pose : modelsDir.resolve(MoveNet.THUNDER.dirName())).toString());
    }

    public Path detectorDir() {
        return Path.of(getString(DETECTOR_DIR));
    }

    public Path poseDir() {
        return Path.of(getString(POSE_DIR));
    }

    public boolean exactlyOnce() {
        return EXACTLY_ONCE.equals(getString(DELIVERY));
    }

    public SessionSettings sessionSettings() {
        return new SessionSettings(
                getInt(INTRA_OP_THREADS),
                getInt(INTER_OP_THREADS),
                getBoolean(GPU_MEMORY_GROWTH),
                false,
                getBoolean(XLA_JIT));
    }

    public PersonDetector.Settings detectorSettings() {
        return new PersonDetector.Settings(
                getDouble(DETECTOR_SCORE).floatValue(),
                getDouble(DETECTOR_NMS_IOU).floatValue(),
                getInt(MAX_PERSONS));
    }

    public PoseEstimator.Settings poseSettings() {
        return new PoseEstimator.Settings(getInt(POSE_BATCH), getBoolean(FLIP_TEST), getBoolean(SHIFT_HEATMAP));
    }

    /** When the detector runs and where the other frames' crops come from. */
    public CropPlanner.Settings cropSettings() {
        return new CropPlanner.Settings(
                getInt(DETECT_EVERY_FRAMES),
                getLong(DETECT_EVERY_MS),
                getDouble(KEYPOINT_THRESHOLD).floatValue(),
                getInt(CROPS_MIN_KEYPOINTS),
                getInt(CROPS_MOTION_LEVEL),
                getDouble(CROPS_MOTION_AREA),
                getDouble(CROPS_SCENE_CHANGE));
    }

    public TopDownPipeline.Settings pipelineSettings() {
        return new TopDownPipeline.Settings(
                getDouble(BOX_PADDING),
                getDouble(KEYPOINT_THRESHOLD).floatValue(),
                getDouble(OKS_NMS_THRESHOLD),
                getLong(MAX_IMAGE_PIXELS));
    }

    /** Settings that are not the worker's own: Kafka client settings and the serde's registry settings. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> clients = new HashMap<>();
        originals().forEach((k, v) -> {
            if (!DEFINITION.names().contains(k) || k.equals(BOOTSTRAP_SERVERS) || k.equals(SCHEMA_REGISTRY_URL)) {
                clients.put(k, v);
            }
        });
        clients.put(GROUP_ID, getString(GROUP_ID));
        return clients;
    }
}
