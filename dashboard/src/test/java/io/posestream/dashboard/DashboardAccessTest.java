package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Who the dashboard lets in, decided on hand-made requests with a hand-driven clock. */
class DashboardAccessTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private DashboardAccess access(String password, String token) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(DashboardConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        settings.put(DashboardConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        settings.put(DashboardConfig.AUTH_PASSWORD, password);
        settings.put(DashboardConfig.AUTH_TOKEN, token);
        settings.put(DashboardConfig.AUTH_SESSION_MS, 60_000);
        return new DashboardAccess(new DashboardConfig(settings), now::get);
    }

    private static List<String> cookie(String session) {
        return List.of("theme=dark; " + DashboardAccess.COOKIE + "=" + session + "; other=1");
    }

    @Test
    void withoutAPasswordOrTokenEveryoneIsLetIn() {
        DashboardAccess open = access("", "");
        assertThat(open.required()).isFalse();
        assertThat(open.allows(null, null)).isTrue();
    }

    @Test
    void aLoginGivesASessionThatLastsItsTimeAndEndsOnLogout() {
        DashboardAccess access = access("right", "");
        assertThat(access.required()).isTrue();
        assertThat(access.allows(null, null)).isFalse();
        assertThat(access.login("viewer", "wrong")).isNull();
        assertThat(access.login("someone", "right")).isNull();
        assertThat(access.login("viewer", null)).isNull();

        String session = access.login("viewer", "right");
        assertThat(session).hasSizeGreaterThan(40);
        assertThat(access.allows(cookie(session), null)).isTrue();
        assertThat(access.allows(cookie(session + "x"), null)).isFalse();
        assertThat(access.sessionCookie(session)).contains("HttpOnly", "SameSite=Strict", "Max-Age=60");

        now.addAndGet(59_000);
        assertThat(access.allows(cookie(session), null)).isTrue();
        now.addAndGet(2_000);
        assertThat(access.allows(cookie(session), null)).as("expired").isFalse();

        String again = access.login("viewer", "right");
        access.logout(cookie(again));
        assertThat(access.allows(cookie(again), null)).isFalse();
    }

    @Test
    void aBearerTokenLetsInWithoutASessionAndNothingElseDoes() {
        DashboardAccess access = access("", "s3cret-token");
        assertThat(access.loginEnabled()).isFalse();
        assertThat(access.allows(null, "Bearer s3cret-token")).isTrue();
        assertThat(access.allows(null, "bearer s3cret-token")).isTrue();
        assertThat(access.allows(null, "Bearer s3cret-token2")).isFalse();
        assertThat(access.allows(null, "Basic czNjcmV0LXRva2Vu")).isFalse();
        // No password: the login form cannot open a session either.
        assertThat(access.login("viewer", "")).isNull();
    }

    @Test
    void sessionsAreBoundedInMemory() {
        DashboardAccess access = access("pw", "");
        String first = access.login("viewer", "pw");
        for (int i = 0; i < DashboardAccess.MAX_SESSIONS + 10; i++) {
            now.incrementAndGet();
            access.login("viewer", "pw");
        }
        assertThat(access.sessions()).isEqualTo(DashboardAccess.MAX_SESSIONS);
        assertThat(access.allows(cookie(first), null))
                .as("the oldest session was forgotten")
                .isFalse();
    }
}
