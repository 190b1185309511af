package io.posestream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.posestream.dashboard.BrowserCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code posestream demo} end to end, as an operator runs it, watched in a real browser: the sample RTSP camera,
 * ingest, the inference worker with the real pretrained models, the tracker, the analytics with the sample camera's
 * built-in rules and the dashboard, with the page checked in Debian's chromium (playwright-core) while the demo
 * runs: skeletons, then the rules' zones and lines, the zone counts and activity events arriving live. Saves the screenshot as a test artifact; with
 * {@code -Dposestream.update.screenshot=true} it also replaces the README's {@code docs/img/dashboard-demo.png}.
 */
class DemoBrowserTest {
    /** Long enough for the skeleton checks and then an activity event to arrive while the page is watched. */
    private static final int DEMO_SECONDS = 80;

    private static final Path SCREENSHOT = Path.of("target/screenshots/dashboard-demo.png");
    private static final Path README_SCREENSHOT = Path.of("../docs/img/dashboard-demo.png");
    private static final String UPDATE_SCREENSHOT = "posestream.update.screenshot";
    /** First skeleton: models load, the tracker confirms tracks; the whole check must end before the demo does. */
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(45);

    @Test
    void demoPosesTracksAnalyzesAndDrawsSkeletonsZonesLinesAndActivityOnTheDashboard() throws Exception {
        Files.deleteIfExists(SCREENSHOT);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AtomicReference<CliRun> run = new AtomicReference<>();
        Thread demo = new Thread(
                () -> run.set(CliRun.of(
                        "demo",
                        "--duration",
                        Integer.toString(DEMO_SECONDS),
                        "--status-every",
                        "2",
                        "--dashboard-port",
                        "0",
                        "--models-dir",
                        "target/demo-models")),
                "demo");
        JsonNode live;
        JsonNode analytics;
        try {
            demo.start();
            // Model preparation converts the npm models on a first run; later runs find them prepared.
            URI url = URI.create(
                    awaitLine(captured, Pattern.compile("Dashboard +(http://\\S+)"), demo, Duration.ofMinutes(5)));
            try (BrowserCheck browser = BrowserCheck.start(
                    BrowserCheck.nodeProject(),
                    new BrowserCheck.Options(url, "cam1", 1, SCREENSHOT, List.of("live", "analytics"), PAGE_TIMEOUT))) {
                live = browser.awaitPhase("live", PAGE_TIMEOUT.multipliedBy(3));
                analytics = browser.awaitPhase("analytics", PAGE_TIMEOUT.multipliedBy(2));
                browser.awaitSuccess(PAGE_TIMEOUT);
            }
            demo.join(Duration.ofSeconds(DEMO_SECONDS + 60).toMillis());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        // Kept in the test's report file next to the screenshot, for reading a failure.
        System.out.println(out);
        System.out.println("browser check, live phase: " + live);
        System.out.println("browser check, analytics phase: " + analytics);
        assertThat(demo.isAlive()).as("demo still running: " + out).isFalse();
        assertThat(run.get().exitCode()).as(out + run.get().err()).isZero();

        // The demo's own lines: what it started, live status, a clean stop.
        assertThat(out)
                .containsPattern("Models +\\S*target/demo-models \\((already prepared|prepared .+)\\)")
                .containsPattern("Sample cameras +rtsp://127\\.0\\.0\\.1:\\d+/cam1")
                .containsPattern("Inference +posestream.frames -> posestream.poses \\(.+\\)")
                .contains("Tracker          posestream.poses -> posestream.pose-events")
                .contains("Analytics        posestream.pose-events -> posestream.activity-events, "
                        + "posestream.zone-counts (4 rules for cam1: the sample camera's built-in rules)")
                .containsPattern("Dashboard +http://127\\.0\\.0\\.1:\\d+/")
                .contains("Demo stopped.");
        assertThat(Path.of("target/demo-models/movenet-thunder/saved_model.pb")).exists();
        // Frames flowed from the RTSP camera through ingest and Kafka to the dashboard, and persons were posed and
        // tracked on the way.
        Matcher status = Pattern.compile("cam1 streaming published=(\\d+) in=([0-9.]+)fps"
                        + "(?: posed=([0-9.]+)fps persons=(\\d+) latency=(\\d+)ms)?")
                .matcher(out);
        long published = 0;
        double fpsIn = 0;
        double fpsPosed = 0;
        int persons = 0;
        while (status.find()) {
            published = Long.parseLong(status.group(1));
            fpsIn = Math.max(fpsIn, Double.parseDouble(status.group(2)));
            if (status.group(3) != null) {
                fpsPosed = Math.max(fpsPosed, Double.parseDouble(status.group(3)));
                persons = Math.max(persons, Integer.parseInt(status.group(4)));
            }
        }
        assertThat(published).as(out).isGreaterThan(10);
        assertThat(fpsIn).as(out).isGreaterThan(1.0);
        assertThat(fpsPosed).as(out).isGreaterThan(0);
        assertThat(persons).as(out).isGreaterThan(0);

        // The page: cam1's tile with skeletons of real tracks drawn over the frame, their ids listed, figures live.
        assertThat(live.path("camera").asText()).isEqualTo("cam1");
        // The tile is reported as of the end of the check, when its latest frame may hold only LOST tracks; the
        // drawing itself was checked on the frame the probe names.
        JsonNode tile = live.path("tile");
        assertThat(tile.path("width").asInt()).isEqualTo(768);
        assertThat(tile.path("height").asInt()).isEqualTo(576);
        assertThat(tile.path("seq").asLong()).isGreaterThan(0);
        // A limb of a live (not LOST) track: the middle of the longest is in its track's colour, not the video's
        // pixel beneath, and that track's id is in the tile's list; the ids of the skeletons checked show there.
        JsonNode probe = live.path("probe");
        assertThat(live.path("listedTrackIds"))
                .extracting(JsonNode::asText)
                .contains("#" + probe.path("trackId").asLong());
        assertThat(live.path("visibleTrackIds")).isNotEmpty();
        for (JsonNode id : live.path("visibleTrackIds")) {
            assertThat(live.path("listedTrackIds")).extracting(JsonNode::asText).contains("#" + id.asLong());
        }
        assertThat(distance(probe.path("canvas"), probe.path("trackColour"))).isLessThan(60);
        assertThat(distance(probe.path("canvas"), probe.path("image"))).isGreaterThan(40);
        JsonNode before = live.path("figuresBefore");
        JsonNode after = live.path("figuresAfter");
        assertThat(after.path("shownSeq").asLong())
                .isGreaterThan(before.path("shownSeq").asLong());
        assertThat(after.path("fpsIn").asDouble()).isGreaterThan(0);
        assertThat(after.path("fpsPosed").asDouble()).isGreaterThan(0);
        assertThat(after.path("latencyP50Ms").asDouble()).isPositive();
        assertThat(live.path("figuresText").asText()).contains("fps in", "persons", "latency");

        // The analytics: the built-in rules' zone and line drawn over cam1's frame (pixels along each in its
        // overlay colour, unlike the frame's), the zone's count and the line's crossings listed, and activity
        // events of the real analytics stage arriving while the page is watched, listed with their rule.
        assertThat(analytics.path("camera").asText()).isEqualTo("cam1");
        assertThat(analytics.path("zones")).extracting(JsonNode::asText).containsExactly("middle");
        assertThat(analytics.path("lines")).extracting(JsonNode::asText).containsExactly("left-path");
        // Every zone and line was probed along its outline (the check fails unless most points show its colour).
        assertThat(analytics.path("pixels"))
                .extracting(p -> p.path("name").asText())
                .containsExactly("middle", "left-path");
        assertThat(analytics.path("counts"))
                .extracting(c -> c.path("text").asText())
                .anySatisfy(text -> assertThat(text).startsWith("middle: "))
                .anySatisfy(text -> assertThat(text).matches("left-path: \\+\\d+ −\\d+"));
        JsonNode panel = analytics.path("panel");
        assertThat(panel.path("received").asLong())
                .isGreaterThan(analytics.path("receivedBefore").asLong());
        assertThat(analytics.path("activityVisible").asBoolean()).isTrue();
        assertThat(analytics.path("listed")).isNotEmpty();
        for (JsonNode item : analytics.path("listed")) {
            assertThat(item.path("rule").asText()).isIn("middle", "left-path", "falls", "hands");
            assertThat(item.path("kind").asText()).isNotEqualTo("OTHER");
            assertThat(item.path("text").asText()).contains(item.path("rule").asText());
        }
        assertThat(ImageIO.read(SCREENSHOT.toFile()).getWidth()).isEqualTo(1280);
        if (Boolean.getBoolean(UPDATE_SCREENSHOT)) {
            Files.createDirectories(README_SCREENSHOT.getParent());
            Files.copy(SCREENSHOT, README_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static double distance(JsonNode a, JsonNode b) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += Math.pow(a.get(i).asDouble() - b.get(i).asDouble(), 2);
        }
        return Math.sqrt(sum);
    }

    private static String awaitLine(ByteArrayOutputStream captured, Pattern pattern, Thread demo, Duration timeout)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Matcher matcher = pattern.matcher(captured.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (!demo.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No line matching " + pattern + " from the demo: " + captured);
    }
}
