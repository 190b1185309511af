package io.posestream.connect;

import io.posestream.connect.config.CameraAssignment;
import io.posestream.connect.config.RtspSourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTSP and file cameras to Avro {@code Frame} records, run by Kafka Connect: the connector owns a list of cameras
 * and spreads them over up to {@code tasks.max} tasks ({@link CameraAssignment}); Connect places the tasks on its
 * workers and moves them when a worker joins, leaves or dies. Supports exactly-once source delivery (KIP-618): with
 * {@code exactly.once.source.support=enabled} on the workers, each poll's frames and the cameras' last seq commit in
 * one transaction.
 */
public final class RtspSourceConnector extends SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RtspSourceConnector.class);

    private Map<String, String> props;
    private RtspSourceConfig config;

    @Override
    public String version() {
        return Version.current();
    }

    @Override
    public void start(Map<String, String> props) {
        this.config = RtspSourceConfig.forConnector(props);
        RtspSourceConfig.converterProblems(props).forEach((key, problem) -> {
            throw new ConfigException(key, props.get(key), problem);
        });
        this.props = Map.copyOf(props);
        LOG.info(
                "RTSP source connector: {} camera(s) {} to topic {}",
                config.cameraIds().size(),
                config.cameraIds(),
                config.topic());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return RtspSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> tasks = new ArrayList<>();
        // Each task's props keep the connector's keys unchanged: Connect then stores a password given as a config
        // provider placeholder as the placeholder, not the resolved secret.
        for (List<String> cameras : CameraAssignment.spread(config.cameraIds(), maxTasks)) {
            tasks.add(RtspSourceConfig.taskProps(props, cameras));
        }
        LOG.info(
                "RTSP source connector: {} camera(s) over {} task(s)",
                config.cameraIds().size(),
                tasks.size());
        return tasks;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the cameras.
    }

    @Override
    public ConfigDef config() {
        return RtspSourceConfig.staticDefinition();
    }

    /** Every key checked, per camera too, and the converters the records need. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        List<ConfigValue> values = RtspSourceConfig.validate(connectorConfigs);
        RtspSourceConfig.converterProblems(connectorConfigs).forEach((key, problem) -> {
            ConfigValue value = new ConfigValue(key);
            value.value(connectorConfigs.get(key));
            value.addErrorMessage(problem);
            values.add(value);
        });
        return new Config(values);
    }

    /** Offsets (each camera's last seq) commit with the frames in the worker's transaction. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }
}
