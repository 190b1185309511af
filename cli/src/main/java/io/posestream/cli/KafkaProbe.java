package io.posestream.cli;

import io.posestream.observability.DependencyWatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Whether the Kafka cluster answers: one {@code describeCluster} round trip through an admin client of the service's
 * own settings (security included), so it goes where the service's clients go. The admin client is made on the first
 * probe, so a bootstrap host that does not resolve yet is waited for like one that does not answer. A refusal
 * (wrong password, untrusted certificate, missing ACL) counts as an answer: the service goes on and its clients stop
 * it with the reason, instead of it waiting for ever for something only a new configuration fixes.
 */
final class KafkaProbe implements DependencyWatch.Probe, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> config;
    private Admin admin;

    KafkaProbe(Map<String, Object> clientConfig, String clientId) {
        Map<String, Object> c = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                c.put(key, value);
            }
        });
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.config = c;
    }

    @Override
    public synchronized void check() throws Exception {
        if (admin == null) {
            try {
                admin = Admin.create(config);
            } catch (KafkaException e) {
                throw new IllegalStateException(e.getMessage()
                        + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            }
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes()
                    .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) {
                throw new IllegalStateException("no answer within " + TIMEOUT.toSeconds() + " s");
            }
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                // The cluster is there and refused these credentials, this CA or these rights: waiting would not
                // change that. The service's own clients meet the same refusal at once and stop naming it.
                return;
            }
            throw new IllegalStateException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT.toSeconds() + " s");
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
