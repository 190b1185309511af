package io.posestream.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Kafka client errors in words an operator can act on. Kafka wraps the reason of a failed TLS handshake ("PKIX path
 * building failed") inside "SSL handshake failed", and wrappers of ours add their own context on top; this says the
 * whole chain in one line and, for the security failures, what to check. Nothing secret is added: Kafka's messages
 * name the mechanism, user-less, and never the password.
 */
public final class ClientErrors {
    private ClientErrors() {}

    /**
     * The messages of {@code error} and its causes, outermost first, each said once, plus a hint when the chain holds
     * a Kafka authentication or authorization failure.
     */
    public static String describe(Throwable error) {
        List<String> parts = new ArrayList<>();
        String hint = null;
        for (Throwable t = error; t != null && parts.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(parts.isEmpty() ? message : t.getClass().getSimpleName() + ": " + message);
            }
            if (hint == null) {
                hint = hint(t);
            }
        }
        String text = String.join("; caused by ", parts);
        return hint == null ? text : text + " [" + hint + "]";
    }

    private static String hint(Throwable t) {
        if (t instanceof SaslAuthenticationException) {
            return "Kafka refused the SASL credentials: check the user name and password in sasl.jaas.config "
                    + "and sasl.mechanism";
        }
        if (t instanceof SslAuthenticationException) {
            return "the TLS handshake with Kafka failed: is the broker's CA certificate in ssl.truststore.location, "
                    + "and the broker's address in its certificate?";
        }
        if (t instanceof AuthorizationException) {
            return "Kafka denied this principal: an ACL is missing (docs/operations.md, Security, lists each "
                    + "service's ACLs)";
        }
        return null;
    }
}
