package io.posestream.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.posestream.observability.ServiceEndpoint;
import picocli.CommandLine.Option;

/**
 * Where a service serves {@code /metrics}, {@code /health/live} and {@code /health/ready}: mixed into each service
 * command so every service names the endpoint the same way ({@code --metrics-port}, {@code metrics-port} in the
 * config file, {@code POSESTREAM_METRICS_PORT}) and the manifests can probe one well-known port.
 */
public final class EndpointOptions {
    @Option(
            names = "--metrics-port",
            description = "Port of /metrics, /health/live and /health/ready; 0 = any free "
                    + "port, -1 = none (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServiceEndpoint.DEFAULT_PORT)
    int metricsPort;

    @Option(
            names = "--metrics-address",
            description = "Address of the metrics and health endpoint " + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String metricsAddress;

    /** Starts the endpoint for {@code service}, or returns null when {@code --metrics-port -1} turned it off. */
    public ServiceEndpoint start(String service, PrometheusMeterRegistry registry) {
        return metricsPort < 0 ? null : ServiceEndpoint.start(service, registry, metricsAddress, metricsPort);
    }

    public int metricsPort() {
        return metricsPort;
    }
}
