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
    void badInputNamesTheFileAndTheAnnotation() throws Exception {
        Path in = dir.resolve("bad.json");
        Files.writeString(in, "{\"images\":[{\"id\":1}],\"annotations\":[{\"image_id\":1,\"keypoints\":[1,2]}]}");
        PoseTrackData data = PoseTrackData.read(in, 25);
        assertThatThrownBy(() -> OfflineReplay.run(data, () -> new PoseTracker(TrackerConfig.DEFAULTS), 25))
                .hasMessageContaining(in.toString())
                .hasMessageContaining("image 1, annotation 0")
                .hasMessageContaining("51");
        Files.writeString(in, "{\"images\":[{\"id\":1}],\"annotations\":[{\"image_id\":9}]}");
        assertThatThrownBy(() -> PoseTrackData.read(in, 25)).hasMessageContaining("image_id 9");
        Files.writeString(in, "not json");
        assertThatThrownBy(() -> PoseTrackData.read(in, 25)).hasMessageContaining(in.toString());
    }
}
