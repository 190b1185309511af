package io.posestream.ingest.config;

import io.posestream.config.ServiceConfig;
import io.posestream.schemas.Topics;
import io.posestream.schemas.serde.AvroSerdeConfig;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the ingest service, declared once: where frames go, and the defaults of cameras given on the command
 * line ({@code --camera ID=URL}); a camera file states each camera's fields itself ({@link CameraConfig}). Camera
 * values are checked where every camera's are, when its {@link CameraConfig} is built, with an error naming the camera
 * and the field. Any key outside {@code ingest.*} goes to the Kafka producer as it is.
 */
public final class IngestConfig extends ServiceConfig {
    public static final String PREFIX = "ingest.";
    public static final String BOOTSTRAP_SERVERS = ProducerConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    public static final String TOPIC = "ingest.topic";
    public static final String CAMERA_FPS = "ingest.camera.fps";
    public static final String CAMERA_MAX_WIDTH = "ingest.camera.max.width";
    public static final String CAMERA_JPEG_QUALITY = "ingest.camera.jpeg.quality";
    public static final String CAMERA_TRANSPORT = "ingest.camera.transport";
    public static final String CAMERA_LOOP = "ingest.camera.loop";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Kafka cluster.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Schema registry URL(s) (Confluent REST API).")
            .define(TOPIC, Type.STRING, Topics.FRAMES, Importance.LOW, "Frame topic.")
            .define(
                    CAMERA_FPS,
                    Type.DOUBLE,
                    CameraConfig.DEFAULT_FPS,
                    Importance.MEDIUM,
                    "Cameras given by --camera: target frames per second, sampled by presentation timestamp.")
            .define(
                    CAMERA_MAX_WIDTH,
                    Type.INT,
                    0,
                    Importance.LOW,
                    "Cameras given by --camera: downscale wider frames to this width; 0 = source size.")
            .define(
                    CAMERA_JPEG_QUALITY,
                    Type.INT,
                    CameraConfig.DEFAULT_JPEG_QUALITY,
                    Importance.LOW,
                    "Cameras given by --camera: JPEG quality.")
            .define(
                    CAMERA_TRANSPORT,
                    Type.STRING,
                    Transport.TCP.ffmpegName(),
                    Importance.LOW,
                    "Cameras given by --camera: RTSP transport, tcp or udp.")
            .define(
                    CAMERA_LOOP,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Cameras given by --camera: play files again from the start when they end.");

    public IngestConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, PREFIX);
    }

    /** All declared settings, for documentation and command-line flags. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** A camera given on the command line, with this service's camera defaults; validated when built. */
    public CameraConfig camera(String id, String url) {
        return CameraConfig.builder(id, url)
                .fps(getDouble(CAMERA_FPS))
                .maxWidth(getInt(CAMERA_MAX_WIDTH))
                .jpegQuality(getInt(CAMERA_JPEG_QUALITY))
                .transport(getString(CAMERA_TRANSPORT))
                .loop(getBoolean(CAMERA_LOOP))
                .build();
    }

    public String topic() {
        return getString(TOPIC);
    }
}
