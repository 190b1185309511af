package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.posestream.avro.ActivityEvent;
import io.posestream.avro.ActivityKind;
import io.posestream.avro.Keypoint;
import io.posestream.avro.TrackState;
import io.posestream.avro.TrackedPerson;
import io.posestream.schemas.LogCapture;
import io.posestream.schemas.RegistryCluster;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser (Debian's chromium via playwright-core) against a running dashboard fed through a real
 * broker: tiles appear, skeletons are drawn in track colours, track ids show, figures update, a silent camera turns
 * stale, and the page reconnects by itself when the server restarts; behind a login, a rules file's zones and lines
 * in normalized units are drawn scaled to the frame, with activity events listed as they arrive. Saves the
 * screenshot the README shows.
 */
class DashboardBrowserTest {
    private static final Path SCREENSHOT = Path.of("target/screenshots/dashboard.png");
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);
    private static RegistryCluster cluster;
    private static TopicFeed feed;

    @BeforeAll
    static void start() {
        cluster = new RegistryCluster();
        TopicFeed.createTopics(cluster);
        feed = new TopicFeed(cluster);
    }

    @AfterAll
    static void stop() {
        if (feed != null) {
            feed.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, String> settings(int port) {
        return Map.of(
                DashboardConfig.BOOTSTRAP_SERVERS,
                cluster.bootstrapServers(),
                DashboardConfig.SCHEMA_REGISTRY_URL,
                cluster.registryUrl(),
                DashboardConfig.PORT,
                Integer.toString(port),
                DashboardConfig.STALE_AFTER_MS,
                "1500");
    }

    @Test
    void thePageDrawsTrackedSkeletonsGoesStaleAndReconnects() throws Exception {
        Files.deleteIfExists(SCREENSHOT);
        DashboardServer dashboard = DashboardServer.start(settings(0));
        int port = dashboard.url().getPort();
        CameraFeeder feeder = new CameraFeeder();
        try (BrowserCheck browser = BrowserCheck.start(
                BrowserCheck.nodeProject(),
                new BrowserCheck.Options(
                        dashboard.url(),
                        "entrance",
                        2,
                        SCREENSHOT,
                        List.of("live", "stale", "reconnect"),
                        PHASE_TIMEOUT))) {
            feeder.start();

            JsonNode live = browser.awaitPhase("live", PHASE_TIMEOUT);
            feeder.stop();
            assertThat(live.path("cameras")).extracting(JsonNode::asText).containsExactly("entrance", "platform");
            JsonNode tile = live.path("tile");
            assertThat(tile.path("skeletonsDrawn").asInt()).isEqualTo(3);
            // All limbs and keypoints of three skeletons but track 2's low-score wrists and forearms.
            assertThat(tile.path("limbsDrawn").asInt()).isEqualTo(3 * 19 - 2);
            assertThat(tile.path("keypointsDrawn").asInt()).isEqualTo(3 * 17 - 2);
            assertThat(tile.path("trackIds")).extracting(JsonNode::asLong).containsExactly(1L, 2L);
            assertThat(tile.path("lostTrackIds")).extracting(JsonNode::asLong).containsExactly(3L);
            assertThat(tile.path("width").asInt()).isEqualTo(TestScenes.WIDTH);
            assertThat(live.path("listedTrackIds")).extracting(JsonNode::asText).containsExactly("#1", "#2", "#3");
            // The pixel in the middle of a limb is the track's colour, not the grey body of the frame beneath.
            JsonNode probe = live.path("probe");
            assertThat(probe.path("trackId").asLong()).isIn(1L, 2L);
            assertThat(distance(probe.path("canvas"), probe.path("trackColour")))
                    .isLessThan(60);
            assertThat(distance(probe.path("canvas"), probe.path("image"))).isGreaterThan(40);
            // Figures updated between two looks, with the figures the feed produces.
            JsonNode before = live.path("figuresBefore");
            JsonNode after = live.path("figuresAfter");
            assertThat(after.path("shownSeq").asLong())
                    .isGreaterThan(before.path("shownSeq").asLong());
            assertThat(after.path("fpsIn").asDouble()).isGreaterThan(0);
            assertThat(after.path("fpsPosed").asDouble()).isGreaterThan(0);
            assertThat(after.path("persons").asInt()).isEqualTo(2);
            assertThat(live.path("figuresText").asText())
                    .contains("fps in", "persons", "latency", "confirmed", "track life", "births");
            // The feed's tracks 1 and 2 are confirmed throughout, track 3 lost: every observation is confirmed.
            assertThat(after.path("confirmedShare").asDouble()).isEqualTo(1.0);
            assertThat(after.path("birthsPerMinute").asDouble()).isPositive();
            assertThat(ImageIO.read(SCREENSHOT.toFile()).getWidth()).isEqualTo(1280);

            JsonNode stale = browser.awaitPhase("stale", PHASE_TIMEOUT);
            assertThat(stale.path("badge").asText()).isEqualToIgnoringCase("stale");
            assertThat(stale.path("figures").path("stale").asBoolean()).isTrue();

            dashboard.close();
            JsonNode disconnected = browser.awaitPhase("disconnected", PHASE_TIMEOUT);
            assertThat(disconnected.path("connection").asText()).contains("disconnected");
            dashboard = DashboardServer.start(settings(port));
            feeder.start();
            JsonNode reconnected = browser.awaitPhase("reconnected", PHASE_TIMEOUT);
            assertThat(reconnected.path("connects").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(reconnected.path("connection").asText()).contains("live");
            browser.awaitSuccess(PHASE_TIMEOUT);
        } finally {
            feeder.stop();
            dashboard.close();
        }
    }

    @Test
    void aLoginGuardsThePageAndItsEventStreamAndNoSecretIsLogged() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String token = "token-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>(settings(0));
        settings.put(DashboardConfig.AUTH_PASSWORD, password);
        settings.put(DashboardConfig.AUTH_TOKEN, token);
        // Rules in fractions of the frame: drawn scaled to the entrance camera's 640x480.
        Path rules = Files.writeString(Files.createTempFile("browser-rules", ".yaml"), """
                cameras: [entrance]
                rules:
                  - {name: hall, camera: entrance, type: zone, units: normalized,
                     polygon: [[0.05, 0.55], [0.45, 0.55], [0.45, 0.95], [0.05, 0.95]]}
                  - {name: gate, camera: entrance, type: line, units: normalized, line: [[0.75, 0.1], [0.75, 0.9]]}
                """);
        settings.put(DashboardConfig.RULES_FILE, rules.toString());
        CameraFeeder feeder = new CameraFeeder();
        feeder.activities = true;
        try (LogCapture logs = new LogCapture();
                DashboardServer dashboard = DashboardServer.start(settings)) {
            // Unless told otherwise, the page is served on this machine only.
            assertThat(dashboard.url().getHost()).isEqualTo("127.0.0.1");
            HttpClient http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            HttpResponse<String> page = get(http, dashboard.url(), null);
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("login");
            assertThat(get(http, dashboard.url().resolve("events"), null).statusCode())
                    .isEqualTo(401);
            assertThat(get(http, dashboard.url().resolve("api/state"), "Bearer wrong-" + token)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(get(http, dashboard.url().resolve("api/state"), "Bearer " + token)
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<java.io.InputStream> stream = http.send(
                    HttpRequest.newBuilder(dashboard.url().resolve("events"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            stream.body().close();

            feeder.start();
            try (BrowserCheck browser = BrowserCheck.start(
                    BrowserCheck.nodeProject(),
                    new BrowserCheck.Options(
                            dashboard.url(),
                            "entrance",
                            2,
                            null,
                            List.of("login", "live", "analytics"),
                            PHASE_TIMEOUT,
                            "viewer",
                            password))) {
                JsonNode login = browser.awaitPhase("login", PHASE_TIMEOUT);
                assertThat(login.path("loginUrl").asText()).endsWith("/login");
                assertThat(login.path("refused").path("events").asInt()).isEqualTo(401);
                assertThat(login.path("refused").path("state").asInt()).isEqualTo(401);
                assertThat(login.path("error").asText()).contains("Wrong user name or password");
                assertThat(login.path("afterLogin").asText()).doesNotEndWith("/login");
                assertThat(login.path("logoutVisible").asBoolean()).isTrue();
                JsonNode live = browser.awaitPhase("live", PHASE_TIMEOUT);
                assertThat(live.path("tile").path("skeletonsDrawn").asInt()).isEqualTo(3);
                JsonNode analytics = browser.awaitPhase("analytics", PHASE_TIMEOUT);
                JsonNode hall = analytics.path("overlay").path("zones").get(0);
                assertThat(hall.path("name").asText()).isEqualTo("hall");
                assertThat(hall.path("points").get(0))
                        .extracting(JsonNode::asDouble)
                        .containsExactly(32.0, 264.0);
                assertThat(hall.path("points").get(2))
                        .extracting(JsonNode::asDouble)
                        .containsExactly(288.0, 456.0);
                JsonNode gate = analytics.path("overlay").path("lines").get(0);
                assertThat(gate.path("points").get(1))
                        .extracting(JsonNode::asDouble)
                        .containsExactly(480.0, 432.0);
                // The positive side of a line drawn downwards is the left of the picture: the arrow points left.
                JsonNode arrow = gate.path("positiveArrow");
                assertThat(arrow.get(1).get(0).asDouble())
                        .isLessThan(arrow.get(0).get(0).asDouble());
                // Every zone and line was probed along its outline (the check fails unless most points show its
                // colour).
                assertThat(analytics.path("pixels"))
                        .extracting(p -> p.path("name").asText())
                        .containsExactly("hall", "gate");
                assertThat(analytics.path("counts"))
                        .extracting(c -> c.path("text").asText())
                        .contains("hall: –")
                        .anySatisfy(text -> assertThat(text).matches("gate: \\+\\d+ −0"));
                assertThat(analytics.path("listed").get(0).path("kind").asText())
                        .isEqualTo("LINE_CROSSED");
                assertThat(analytics.path("listed").get(0).path("text").asText())
                        .contains("crossed", "gate", "#1", "dir +1");
                browser.awaitSuccess(PHASE_TIMEOUT);
            }
            assertThat(logs.lines())
                    .anySatisfy(line -> assertThat(line).contains("Dashboard login refused for user 'viewer'"))
                    .anySatisfy(line -> assertThat(line).contains("Dashboard login of viewer"))
                    .noneSatisfy(line -> assertThat(line).contains(password))
                    .noneSatisfy(line -> assertThat(line).contains(token));
        } finally {
            feeder.stop();
            Files.deleteIfExists(rules);
        }
    }

    private static HttpResponse<String> get(HttpClient http, java.net.URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double distance(JsonNode a, JsonNode b) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += Math.pow(a.get(i).asDouble() - b.get(i).asDouble(), 2);
        }
        return Math.sqrt(sum);
    }

    /**
     * Two cameras at 10 fps as ingest and the tracker would write them: "entrance" with tracks 1 and 2 walking and
     * track 3 LOST and track 4 REMOVED, "platform" with track 7. Each frame is followed by its pose event.
     */
    private static final class CameraFeeder {
        private final AtomicLong seq = new AtomicLong();
        /** Also a crossing of line "gate" by track 1 every 5th frame, as the analytics would write it. */
        boolean activities;

        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(this::run, "camera-feeder");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(10_000);
            }
        }

        private void run() {
            while (running) {
                long n = seq.getAndIncrement();
                Instant capture = Instant.now();
                List<List<Keypoint>> entrance = new ArrayList<>(TestScenes.people(2, n));
                // Track 2's wrists are unsure: the page hides them and the two forearms touching them.
                List<Keypoint> unsure = new ArrayList<>(entrance.get(1));
                for (int wrist : new int[] {9, 10}) {
                    unsure.set(
                            wrist,
                            new Keypoint(
                                    unsure.get(wrist).getX(), unsure.get(wrist).getY(), 0.1f));
                }
                List<Keypoint> lost = TestScenes.standing(560, 150, 200);
                entrance.add(lost);
                feed.send(TestScenes.frame("entrance", n, capture, TestScenes.jpeg(entrance)));
                List<Keypoint> waiting = TestScenes.standing(320, 100, 320);
                feed.send(TestScenes.frame("platform", n, capture, TestScenes.jpeg(List.of(waiting))));
                feed.send(TestScenes.event(
                        "entrance",
                        n,
                        capture,
                        List.of(
                                TestScenes.tracked(1, TrackState.CONFIRMED, entrance.get(0)),
                                TestScenes.tracked(2, TrackState.CONFIRMED, unsure),
                                TestScenes.tracked(3, TrackState.LOST, lost),
                                // Reported once as it ends (here every frame): neither drawn, listed nor counted.
                                TestScenes.tracked(4, TrackState.REMOVED, TestScenes.standing(900, 150, 200)))));
                List<TrackedPerson> platform = List.of(TestScenes.tracked(7, TrackState.TENTATIVE, waiting));
                feed.send(TestScenes.event("platform", n, capture, platform));
                if (activities && n % 5 == 0) {
                    feed.send(ActivityEvent.newBuilder()
                            .setCameraId("entrance")
                            .setSeq(n)
                            .setTime(capture)
                            .setRule("gate")
                            .setKind(ActivityKind.LINE_CROSSED)
                            .setTrackId(1L)
                            .setDirection(1)
                            .build());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
