package io.posestream.app.dashboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.cli.ClusterOptions;
import io.posestream.cli.ClusterWatch;
import io.posestream.cli.EndpointOptions;
import io.posestream.cli.Foreground;
import io.posestream.cli.SettingFlags;
import io.posestream.cli.SettingOverrides;
import io.posestream.cli.StartupOptions;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.dashboard.DashboardServer;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code posestream dashboard}: the live web page of every camera's tracked skeletons, until Ctrl-C. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        modelTransformer = DashboardCommand.Flags.class,
        description = "Serve a live web page: for every camera on posestream.frames, its latest frame with the "
                + "tracked skeletons of posestream.pose-events drawn over it, fps, persons, latency and lag. "
                + "With --rules (the analyze command's rules file), each camera's zones and lines are drawn, with "
                + "the zone counts and the latest activity events beside it. "
                + "Prints the page's URL and runs until Ctrl-C. See docs/dashboard.md.")
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    EndpointOptions endpoint;

    @Mixin
    SettingOverrides overrides;

    @Spec
    CommandSpec spec;

    /** The settings offered as flags; defaults and help come from {@link DashboardConfig}. */
    static final SettingFlags FLAGS = SettingFlags.of(DashboardConfig.definition())
            .flag("--port", DashboardConfig.PORT)
            .flag("--bind", DashboardConfig.BIND_ADDRESS)
            .flag("--login-user", DashboardConfig.AUTH_USER)
            .flag("--login-password", DashboardConfig.AUTH_PASSWORD)
            .flag("--auth-token", DashboardConfig.AUTH_TOKEN)
            .flag("--rules", DashboardConfig.RULES_FILE);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    @Mixin
    StartupOptions startup;

    @Override
    public Integer call() throws Exception {
        DashboardConfig settings = new DashboardConfig(FLAGS.settings(spec, cluster.clientConfig(), overrides));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics = endpoint.start("dashboard", registry);
        ClusterWatch watch = startup.watch(
                "dashboard", "to read " + settings.framesTopic() + " and " + settings.eventsTopic(), cluster, metrics);
        DashboardServer dashboard;
        try {
            watch.awaitReachable();
            dashboard = DashboardServer.start(settings);
        } catch (Exception e) {
            watch.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        if (metrics != null) {
            registry.gauge("posestream_dashboard_clients", dashboard, DashboardServer::clients);
            metrics.readiness(
                    "topics assigned",
                    HealthCheck.of(
                            () -> dashboard.assignedPartitions() > 0,
                            "the frame and event topics are not assigned yet"));
            metrics.liveness(
                    "topic reader running",
                    HealthCheck.of(dashboard::reading, "the topic reader stopped (see the log)"));
        }
        System.out.println("Dashboard: " + dashboard.url());
        System.out.flush();
        Foreground.run(
                () -> {
                    dashboard.close();
                    watch.close();
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !dashboard.reading());
        return 0;
    }
}
