package io.posestream.app.track;

import io.posestream.app.StreamsService;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import io.posestream.tracker.streams.TrackerApp;
import io.posestream.tracker.streams.TrackerAppConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posestream track}: the tracker as a Kafka Streams application, until Ctrl-C. */
@Command(
        name = "track",
        mixinStandardHelpOptions = true,
        modelTransformer = TrackCommand.Flags.class,
        description = "Track people: posestream.poses (PoseFrame) in, posestream.pose-events (PoseEvent) out, "
                + "as a Kafka Streams application (exactly-once by default). Runs until Ctrl-C.",
        subcommands = {ReplayCommand.class, SynthCommand.class})
public final class TrackCommand implements Callable<Integer> {
    /** The settings offered as flags; defaults and help come from {@link TrackerAppConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(TrackerAppConfig.definition())
            .flag("--application-id", TrackerAppConfig.APPLICATION_ID)
            .flag("--state-dir", TrackerAppConfig.STATE_DIR);

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
        TrackerAppConfig settings = new TrackerAppConfig(FLAGS.settings(spec, cluster.clientConfig(), overrides));
        TrackerApp app = new TrackerApp(settings);
        return StreamsService.run(
                "tracker",
                app,
                endpoint,
                metrics -> startup.watch("tracker", "to read " + settings.inputTopic(), cluster, metrics));
    }
}
