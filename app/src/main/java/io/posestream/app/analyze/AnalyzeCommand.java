package io.posestream.app.analyze;

import io.posestream.analytics.streams.AnalyticsApp;
import io.posestream.analytics.streams.AnalyticsAppConfig;
import io.posestream.app.StreamsService;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posestream analyze}: activity analytics as a Kafka Streams application, until Ctrl-C. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        modelTransformer = AnalyzeCommand.Flags.class,
        description = "Activity analytics: posestream.pose-events (PoseEvent) in; zones, lines, falls, dwell and "
                + "raised hands from a rules file out as posestream.activity-events (ActivityEvent) and the "
                + "compacted posestream.zone-counts (ZoneCount), as a Kafka Streams application (exactly-once by "
                + "default). Runs until Ctrl-C.")
public final class AnalyzeCommand implements Callable<Integer> {
    /** The settings offered as flags; defaults and help come from {@link AnalyticsAppConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(AnalyticsAppConfig.definition())
            .flag("--rules", AnalyticsAppConfig.RULES_FILE)
            .flag("--application-id", AnalyticsAppConfig.APPLICATION_ID)
            .flag("--state-dir", AnalyticsAppConfig.STATE_DIR);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    SettingOverrides overrides;

    @Mixin
    EndpointOptions endpoint;

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        AnalyticsAppConfig settings = new AnalyticsAppConfig(FLAGS.settings(spec, cluster.clientConfig(), overrides));
        AnalyticsApp app = new AnalyticsApp(settings);
        return StreamsService.run(
                "analytics",
                app,
                endpoint,
                metrics -> startup.watch("analytics", "to read " + settings.inputTopic(), cluster, metrics));
    }
}
