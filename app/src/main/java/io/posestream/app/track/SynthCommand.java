package io.posestream.app.track;

import io.posestream.tracker.synth.Scenario;
import io.posestream.tracker.synth.SceneGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code posestream track synth}: a synthetic scene's ground truth and noisy detections. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = "Write a synthetic scene as PoseTrack-2018-style JSON: DIR/gt.json (with track_id) and "
                + "DIR/detections.json (noisy detections, no track_id, timestamp_ms on every image). Clean scenarios: "
                + "walking, crossing, occlusion, reentry, missed-detections, jitter, false-positives, crowd; calibrated "
                + "to the default models on the sample camera: street-crowd, side-by-side, bystander, "
                + "occluded-crossing, irregular-rate.")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--scenario", required = true, paramLabel = "NAME", description = "Scenario name.")
    String scenario;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        SceneGenerator.Scene scene = new SceneGenerator(Scenario.byName(scenario), seed).generate();
        Files.createDirectories(out);
        Path gt = out.resolve("gt.json");
        Path detections = out.resolve("detections.json");
        scene.groundTruth().write(gt);
        scene.detections().write(detections);
        System.out.printf(
                "%s seed %d: %d frames, %d ground-truth poses -> %s, %d detections -> %s%n",
                scenario,
                seed,
                scene.groundTruth().root().get("images").size(),
                scene.groundTruth().root().get("annotations").size(),
                gt,
                scene.detections().root().get("annotations").size(),
                detections);
        return 0;
    }
}
