package io.posestream.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who may see the dashboard, when {@code dashboard.auth.password} or {@code dashboard.auth.token} is set: a browser
 * that logged in (a random session id in an HttpOnly, SameSite=Strict cookie, valid for
 * {@code dashboard.auth.session.ms}) or a client sending {@code Authorization: Bearer <token>}. Decides only; the
 * server does the HTTP. Secrets are compared in constant time and never leave this class.
 */
final class DashboardAccess {
    static final String COOKIE = "posestream_session";

    /** Bounds the sessions kept in memory; past it the one expiring soonest is forgotten. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final byte[] password;
    private final byte[] token;
    private final long sessionMs;
    private final LongSupplier clock;
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();

    DashboardAccess(DashboardConfig config, LongSupplier clock) {
        this.user = config.authUser();
        this.password = config.authPassword().getBytes(StandardCharsets.UTF_8);
        this.token = config.authToken().getBytes(StandardCharsets.UTF_8);
        this.sessionMs = config.authSession().toMillis();
        this.clock = clock;
    }

    /** Whether any request needs a session or a token. */
    boolean required() {
        return password.length > 0 || token.length > 0;
    }

    /** Whether the login form is offered (a password is set). */
    boolean loginEnabled() {
        return password.length > 0;
    }

    /** Whether a request with these {@code Cookie} and {@code Authorization} header values may see the dashboard. */
    boolean allows(List<String> cookieHeaders, String authorization) {
        if (!required()) {
            return true;
        }
        if (token.length > 0 && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (MessageDigest.isEqual(token, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        String session = session(cookieHeaders);
        if (session == null) {
            return false;
        }
        Long expires = sessions.get(session);
        if (expires == null) {
            return false;
        }
        if (expires <= clock.getAsLong()) {
            sessions.remove(session);
            return false;
        }
        return true;
    }

    /** A new session id when the user name and password are right, else null. */
    String login(String givenUser, String givenPassword) {
        boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), bytes(givenUser));
        boolean passwordOk = password.length > 0 && MessageDigest.isEqual(password, bytes(givenPassword));
        if (!(userOk & passwordOk)) {
            return null;
        }
        long now = clock.getAsLong();
        sessions.values().removeIf(expires -> expires <= now);
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream()
                    .min(Comparator.comparingLong(Map.Entry::getValue))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(session, now + sessionMs);
        return session;
    }

    /** Ends the session the cookie names, if any. */
    void logout(List<String> cookieHeaders) {
        String session = session(cookieHeaders);
        if (session != null) {
            sessions.remove(session);
        }
    }

    /** The {@code Set-Cookie} value that starts a session. */
    String sessionCookie(String session) {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + sessionMs / 1000;
    }

    /** The {@code Set-Cookie} value that ends it in the browser. */
    static String expiredCookie() {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    /** Sessions held now (for tests). */
    int sessions() {
        return sessions.size();
    }

    private static String session(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String cookie : header.split(";")) {
                String c = cookie.trim();
                if (c.startsWith(COOKIE + "=")) {
                    return c.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
