package io.posestream.app.dashboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.app.Foreground;
import io.posestream.app.config.ClusterOptions;
import io.posestream.app.config.EndpointOptions;
import io.posestream.dashboard.DashboardConfig;
import io.posestream.dashboard.DashboardServer;
import io.posestream.observability.HealthCheck;
import io.posestream.observability.ServiceEndpoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posestream dashboard}: the live web page of every camera's tracked skeletons, until Ctrl-C. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = "Serve a live web page: for every camera on posestream.frames, its latest frame with the "
                + "tracked skeletons of posestream.pose-events drawn over it, fps, persons, latency and lag. "
                + "Prints the page's URL and runs until Ctrl-C. See docs/dashboard.md.")
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    EndpointOptions endpoint;

    @Option(
            names = "--port",
            description = "HTTP port; 0 = any free port (default: ${DEFAULT-VALUE}).",
            defaultValue = "8080")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description =
                    "Address to serve on; 0.0.0.0 opens the page to " + "the network (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--login-user",
            description = "User name of the login form (default: ${DEFAULT-VALUE}).",
            defaultValue = "viewer")
    String loginUser;

    @Option(
            names = "--login-password",
            paramLabel = "PASSWORD",
            description = "Ask for a login with this password; the page and its event stream refuse a browser that "
                    + "has not logged in. Give it as POSESTREAM_LOGIN_PASSWORD or in the config file rather than on "
                    + "the command line. Never logged.")
    String loginPassword;

    @Option(
            names = "--auth-token",
            paramLabel = "TOKEN",
            description = "Let in requests with 'Authorization: Bearer TOKEN' (scripts, monitors); alone, it "
                    + "refuses every other request. POSESTREAM_AUTH_TOKEN or the config file, as the password.")
    String authToken;

    @Option(
            names = "--setting",
            paramLabel = "KEY=VALUE",
            description = "A dashboard setting, e.g. "
                    + "dashboard.stale.after.ms=10000 or dashboard.keypoint.score.threshold=0.4; repeatable. "
                    + "See docs/dashboard.md.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig());
        config.putAll(settings);
        config.put(DashboardConfig.PORT, Integer.toString(port));
        config.put(DashboardConfig.BIND_ADDRESS, bind);
        config.put(DashboardConfig.AUTH_USER, loginUser);
        if (loginPassword != null) {
            config.put(DashboardConfig.AUTH_PASSWORD, loginPassword);
        }
        if (authToken != null) {
            config.put(DashboardConfig.AUTH_TOKEN, authToken);
        }
        DashboardServer dashboard = DashboardServer.start(new DashboardConfig(config));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceEndpoint metrics;
        try {
            metrics = endpoint.start("dashboard", registry);
        } catch (RuntimeException e) {
            dashboard.close();
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
                    if (metrics != null) {
                        metrics.close();
                    }
                },
                () -> !dashboard.reading());
        return 0;
    }
}
