package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Settings declared once: defaults, Kafka passthrough, and a clear error naming a bad or missing key. */
class InferenceConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(InferenceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        settings.put(InferenceConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        settings.put(InferenceConfig.DETECTOR_DIR, "/models/centernet");
        settings.put(InferenceConfig.POSE_DIR, "/models/movenet-thunder");
        return settings;
    }

    @Test
    void defaultsFollowHrnetsEvaluationAndKafkaSettingsPassThrough() {
        Map<String, Object> settings = minimal();
        settings.put("security.protocol", "SASL_SSL");
        InferenceConfig config = new InferenceConfig(settings);

        assertThat(config.pipelineSettings().boxPadding()).isEqualTo(1.25);
        assertThat(config.pipelineSettings().oksNmsThreshold()).isEqualTo(0.9);
        assertThat(config.exactlyOnce()).isTrue();
        assertThat(config.clientSettings())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(InferenceConfig.GROUP_ID, "posestream-inference")
                .doesNotContainKey(InferenceConfig.DETECTOR_DIR);
    }

    @Test
    void aTypoInAnInferenceKeyIsNamedNotPassedToKafka() {
        Map<String, Object> settings = minimal();
        settings.put("inference.batch.frmaes", "4");
        assertThatThrownBy(() -> new InferenceConfig(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.batch.frmaes")
                .hasMessageContaining("inference.batch.frames");
    }

    @Test
    void aBadValueAndAMissingModelAreNamed() {
        Map<String, Object> bad = minimal();
        bad.put(InferenceConfig.STALE_MS, "soon");
        assertThatThrownBy(() -> new InferenceConfig(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(InferenceConfig.STALE_MS)
                .hasMessageContaining("soon");

        Map<String, Object> missing = minimal();
        missing.remove(InferenceConfig.POSE_DIR);
        assertThatThrownBy(() -> new InferenceConfig(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(InferenceConfig.POSE_DIR);
    }

    @Test
    void modelDirectoriesDefaultToThePreparedModels() {
        Path models = Path.of("/data/models");
        assertThat(InferenceConfig.modelDirs(models, null, null))
                .containsEntry(InferenceConfig.DETECTOR_DIR, "/data/models/centernet")
                .containsEntry(InferenceConfig.POSE_DIR, "/data/models/movenet-thunder");
        assertThat(InferenceConfig.modelDirs(models, null, Path.of("/hrnet-w32")))
                .containsEntry(InferenceConfig.DETECTOR_DIR, "/data/models/centernet")
                .containsEntry(InferenceConfig.POSE_DIR, "/hrnet-w32");
    }
}
