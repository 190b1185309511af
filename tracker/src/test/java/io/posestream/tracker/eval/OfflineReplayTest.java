package io.posestream.tracker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.synth.Scenario;
import io.posestream.tracker.synth.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineReplayTest {
    @TempDir
    Path dir;

    @Test
    void writesTheSameFileWithTrackIdsAndKeepsUnknownFields() throws Exception {
        var scene = new SceneGenerator(Scenario.WALKING, 7).generate();
        scene.detections().root().put("info", "kept as is");
        Path in = dir.resolve("detections.json");
        scene.detections().write(in);
        PoseTrackData read = PoseTrackData.read(in, 25);
        PoseTrackData tracked = OfflineReplay.run(read, () -> new PoseTracker(TrackerConfig.DEFAULTS), 25);
        Path out = dir.resolve("pred.json");
        tracked.write(out);
        JsonNode written = new ObjectMapper().readTree(out.toFile());
        assertThat(written.get("info").asText()).isEqualTo("kept as is");
        assertThat(written.get("images").toString())
                .isEqualTo(scene.detections().root().get("images").toString());
        assertThat(written.get("annotations")).isNotEmpty().allSatisfy(a -> {
            assertThat(a.has("track_id")).isTrue();
            assertThat(a.get("keypoints")).hasSize(51);
        });
        // Four walkers: about four ids (a false positive never lives long enough to be confirmed).
        assertThat(written.get("annotations").findValues("track_id").stream()
                        .map(JsonNode::asLong)
                        .distinct()
                        .count())
                .isBetween(4L, 6L);
    }

    @Test
    void aConfirmedTrackMissedInAFrameIsWrittenAtItsPrediction() {
        // One person walking right at 20 px per frame, not detected in frame 6.
        var root = new ObjectMapper().createObjectNode();
        var images = root.putArray("images");
        var annotations = root.putArray("annotations");
        for (int f = 1; f <= 8; f++) {
            images.addObject().put("id", f).put("frame_id", f).put("timestamp_ms", 500L * f);
            if (f == 6) {
                continue;
            }
            var a = annotations.addObject().put("image_id", f).put("score", 0.9);
            var keypoints = a.putArray("keypoints");
            var pose = io.posestream.tracker.core.Poses.person(100 + 20 * f, 500, 100, 0.9);
            for (int k = 0; k < 17; k++) {
                keypoints.add(pose.x(k)).add(pose.y(k)).add(pose.score(k));
            }
        }
        PoseTrackData data = PoseTrackData.of(root, "walker", 2);
        PoseTrackData tracked = OfflineReplay.run(data, () -> new PoseTracker(TrackerConfig.DEFAULTS), 2);
        JsonNode predicted = tracked.root().get("annotations").findParents("image_id").stream()
                .filter(a -> a.get("image_id").asLong() == 6)
                .findFirst()
                .orElseThrow();
        assertThat(predicted.get("track_id").asLong()).isEqualTo(1);
        assertThat(predicted.get("score").asDouble()).isZero();
        // Keypoints moved to where the walker is expected (x of the nose: 100 + 20 * 6 = 220), not left at frame 5.
        assertThat(predicted.get("keypoints").get(0).asDouble()).isBetween(210.0, 230.0);
        assertThat(predicted.get("bbox")).hasSize(4);
        // Frames 2-8 reported (frame 1: the track is tentative); without the prediction frame 6 would be missing.
        assertThat(tracked.root().get("annotations")).hasSize(7);
    }

    @Test
    void badInputNamesTheFileAndTheAnnotation() throws Exception {
        Path in = dir.resolve("bad.json");
        Files.writeString(in, "{\"images\":[{\"id\":1}],\"annotations\":[{\"image_id\":1,\"keypoints\":[1,2]}]}");
        PoseTrackData data = PoseTrackData.read(in, 25);
        assertThatThrownBy(() -> OfflineReplay.run(data, () -> new PoseTracker(TrackerConfig.DEFAULTS), 25))
                .hasMessageContaining(in.toString())
                .hasMessageContaining("image 1, annotation 0")
                .hasMessageContaining("51");
        String keypoints = "[" + String.join(",", java.util.Collections.nCopies(51, "1")) + "]";
        Files.writeString(
                in,
                "{\"images\":[{\"id\":1}],\"annotations\":[{\"image_id\":1,\"keypoints\":" + keypoints
                        + ",\"appearance\":[0.5,0.5,0]}]}");
        PoseTrackData coloured = PoseTrackData.read(in, 25);
        assertThatThrownBy(() -> OfflineReplay.run(coloured, () -> new PoseTracker(TrackerConfig.DEFAULTS), 25))
                .hasMessageContaining(in.toString())
                .hasMessageContaining("image 1, annotation 0")
                .hasMessageContaining("'appearance' must be 32 numbers")
                .hasMessageContaining("got 3 values");
        Files.writeString(in, "{\"images\":[{\"id\":1}],\"annotations\":[{\"image_id\":9}]}");
        assertThatThrownBy(() -> PoseTrackData.read(in, 25)).hasMessageContaining("image_id 9");
        Files.writeString(in, "not json");
        assertThatThrownBy(() -> PoseTrackData.read(in, 25)).hasMessageContaining(in.toString());
    }
}
