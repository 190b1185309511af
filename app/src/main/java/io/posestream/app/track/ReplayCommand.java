package io.posestream.app.track;

import io.posestream.cli.SettingOverrides;
import io.posestream.tracker.core.GreedyOksTracker;
import io.posestream.tracker.core.PoseTracker;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.OfflineReplay;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.streams.TrackerAppConfig;
import io.posestream.tracker.synth.QualityComparison;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code posestream track replay}: the tracking core over a PoseTrack-style detections file. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Run the tracker offline over a PoseTrack-2018-style JSON of detections (no track_id) and "
                + "write the same JSON with track_id filled in (unreported detections left out).")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--detections", required = true, paramLabel = "IN.json", description = "Detections file.")
    Path detections;

    @Option(names = "--out", required = true, paramLabel = "OUT.json", description = "Where to write the tracks.")
    Path out;

    @Mixin
    FrameRateOption frameRate;

    @Option(names = "--baseline", description = "Use the greedy OKS baseline instead of the tracker.")
    boolean baseline;

    @Mixin
    SettingOverrides overrides;

    @Override
    public Integer call() {
        TrackerConfig config = TrackerAppConfig.trackerConfig(overrides.settings());
        PoseTrackData input = PoseTrackData.read(detections, frameRate.fps());
        PoseTrackData tracked = baseline
                ? OfflineReplay.run(
                        input, () -> new GreedyOksTracker(QualityComparison.BASELINE_MIN_OKS, config), frameRate.fps())
                : OfflineReplay.run(input, () -> new PoseTracker(config), frameRate.fps());
        tracked.write(out);
        long tracks = tracked.root().get("annotations").findValues("track_id").stream()
                .map(n -> n.asLong())
                .distinct()
                .count();
        System.out.printf(
                "%s: %d videos, %d of %d detections tracked, %d track ids -> %s%n",
                detections,
                input.videos().size(),
                tracked.root().get("annotations").size(),
                input.root().get("annotations").size(),
                tracks,
                out);
        return 0;
    }
}
