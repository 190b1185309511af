package io.posestream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.posestream.cli.SettingOverrides;
import io.posestream.dashboard.TrackFigures;
import io.posestream.tracker.core.TrackerConfig;
import io.posestream.tracker.eval.PoseTrackData;
import io.posestream.tracker.synth.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the tracker faces on real footage with the default models, and how it does there without ground truth:
 * detector and pose statistics (the calibration of the synthetic scenes), the dashboard's tracking figures with the
 * frames a loaded worker would pose, and what keypoint smoothing does to jitter and lag.
 */
@Command(
        name = "footage",
        mixinStandardHelpOptions = true,
        description = "Run the default models on every frame of the sample video (or reuse a detections file) and "
                + "print: detector/pose statistics measured along the default tracker's tracks at the full frame rate; "
                + "tracking figures (confirmed share, median confirmed life, births per minute) replayed at lower "
                + "posed rates; jitter of still people and lag on walking ones with and without keypoint smoothing.")
public final class FootageBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    FootageSource footage;

    @Mixin
    SettingOverrides overrides;

    @Option(
            names = "--frames",
            defaultValue = "100000",
            description = "Frames from the start (default: the whole video).")
    int frames;

    @Option(
            names = "--save-detections",
            paramLabel = "FILE",
            description = "Write the detections (PoseTrack-style JSON, with timestamp_ms) there.")
    Path save;

    @Option(
            names = "--save-clothing",
            paramLabel = "FILE",
            description = "Write each tracked person's mean colour descriptor there (JSON; the synthetic scenes' "
                    + "clothing is tracker/src/main/resources/io/posestream/tracker/synth/clothing-vtest.json).")
    Path saveClothing;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "10,4,2,1.5",
            description = "Posed frames per second to replay at (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--seeds",
            defaultValue = "3",
            description = "Posing patterns per rate, averaged (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Override
    public Integer call() throws Exception {
        System.out.println("bench footage on " + MachineInfo.describe());
        PoseTrackData data = footage.load(frames);
        if (save != null) {
            Path parent = save.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            data.write(save);
            System.out.println("Detections written to " + save);
        }
        String models = data.root().path("detector_model").asText("?") + " + "
                + data.root().path("pose_model").asText("?");
        statistics(FootageStatistics.measure(data), models);
        tracking(data);
        smoothing(data);
        return 0;
    }

    private void statistics(FootageStatistics.Result r, String models) throws java.io.IOException {
        SceneGenerator.Conditions c = SceneGenerator.Conditions.CALIBRATED;
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Detector and pose statistics (%s, %d frames at %.0f fps): the default tracker's %d confirmed "
                        + "tracks at the full frame rate are the people (%d detections); the %d other detections "
                        + "are no one (clutter, fragments). Last column: what the calibrated synthetic scenes use.%n",
                models,
                r.frames(),
                footage.videoFps,
                r.tracks(),
                r.personDetections(),
                r.otherDetections());
        BenchTable table = new BenchTable("measure", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "scenes");
        row(table, "person height, px", r.height(), 1, "55-125");
        row(table, "person score", r.personScore(), 1, "0.28-0.46 x visibility");
        row(table, "other detections' score", r.otherScore(), 1, "0.06-0.13 (clutter)");
        row(table, "keypoint score (people)", r.keypointScore(), 1, "0.30-0.95 visible");
        row(
                table,
                "torso keypoint noise, % height",
                r.torsoNoise(),
                100,
                pct(c.jitter()) + ", " + pct(c.outlierShare()) + " at " + pct(c.outlierJitter()));
        row(table, "all keypoint noise, % height", r.allNoise(), 100, "(limb motion included)");
        row(table, "walking speed, heights/s", r.speed(), 1, "0.3-0.8, 1 in 5 0.1-0.25");
        row(table, "velocity change in 1 s, heights/s", r.speedChange(), 1, "wander 0.1-0.4 h every 5-12 s");
        row(table, "colours, one person 0.5 s apart", r.sameColours(), 1, "0.89/0.92/0.96/0.98 (p5-p50)");
        row(
                table,
                "colours, two people < 1 height apart",
                r.nearColours(),
                1,
                r.clothing().size() + " measured clothings");
        table.print(System.out);
        if (saveClothing != null) {
            ArrayNode all = JSON.createArrayNode();
            for (float[] d : r.clothing()) {
                PoseTrackData.addDescriptor(all.addArray(), d);
            }
            JSON.writeValue(saveClothing.toFile(), all);
            System.out.println("Clothing colours of " + r.clothing().size() + " people written to " + saveClothing);
        }
        System.out.printf(
                Locale.ROOT,
                "Reference score (90th percentile of all person scores): %.3f; other detections' median is %.2f of it. "
                        + "Keypoints scoring 0.3 or more: %.0f%% (people).%n",
                r.referenceScore(),
                r.otherScore().p50() / r.referenceScore(),
                100 * r.confidentKeypoints());
        BenchTable misses = new BenchTable("nearer person covers", "frames", "missed", "scenes");
        String[] bins = {"none (< 5%)", "5-25%", "25-50%", "over 50%"};
        double[] scene = {c.missRate(), c.coveredMissRates()[0], c.coveredMissRates()[1], c.coveredMissRates()[2]};
        for (int b = 0; b < 4; b++) {
            misses.row(bins[b], r.missFrames()[b], pct(r.missRates()[b]), pct(scene[b]));
        }
        System.out.println(
                "Misses inside a person's track (frames between first and last match without a detection; "
                        + "people at the picture's border left out), by the largest share of their box a nearer person covers:");
        misses.print(System.out);
    }

    private void tracking(PoseTrackData data) {
        List<PoseTrackData.FrameRecord> all = data.videos().values().iterator().next();
        BenchTable table = new BenchTable(
                "posed fps",
                "posed frames",
                "confirmed share",
                "median confirmed life s",
                "births / minute",
                "ids as at full rate (IDF1)");
        TrackerConfig config = TrackerOverrides.config(overrides);
        Map<FootageReplay.Detection, Long> reference =
                FootageReplay.replay(data, all, config).identities();
        for (double rate : rates) {
            double[] sum = new double[5];
            for (long seed = 1; seed <= seeds; seed++) {
                List<PoseTrackData.FrameRecord> posed = FootageReplay.posed(all, rate, seed);
                FootageReplay.Replay replay = FootageReplay.replay(data, posed, config);
                TrackFigures.Snapshot s = replay.figures();
                sum[0] += posed.size();
                sum[1] += s.confirmedShare();
                sum[2] += s.medianConfirmedLifeS();
                sum[3] += s.birthsPerMinute();
                sum[4] += FootageReplay.agreement(reference, replay.identities(), posed);
            }
            table.row(
                    rate,
                    sum[0] / seeds,
                    pct(sum[1] / seeds),
                    sum[2] / seeds,
                    sum[3] / seeds,
                    String.format(Locale.ROOT, "%.2f", sum[4] / seeds));
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Tracking figures (the dashboard's, no ground truth) replaying the detections with the default "
                        + "tracker, posed at irregular intervals around each rate as a loaded worker poses them; mean "
                        + "of %d posing patterns. Tracks still alive when the video ends end there. Goal at the live "
                        + "rate of 2 cameras: confirmed share >= 80%%, median confirmed life >= 8 s. Ids as at full "
                        + "rate: IDF1 (percent) of the replay's ids against those the same tracker gives when every "
                        + "frame of the video is posed, over the posed frames' detections in confirmed tracks.%s%n",
                seeds,
                overrides.settings().isEmpty() ? "" : " Settings: " + TrackerOverrides.settings(overrides) + ".");
        table.print(System.out);
    }

    private void smoothing(PoseTrackData data) {
        List<PoseTrackData.FrameRecord> all = data.videos().values().iterator().next();
        TrackerConfig on = TrackerOverrides.config(overrides);
        BenchTable table = new BenchTable(
                "posed fps",
                "still pairs",
                "jitter raw % (mean / median)",
                "jitter smoothed % (mean / median)",
                "reduction (mean)",
                "walking frames",
                "body lag ms",
                "limb lag ms");
        for (double rate : rates) {
            List<PoseTrackData.FrameRecord> posed = FootageReplay.posed(all, rate, 1);
            FootageReplay.Smoothing s = FootageReplay.smoothing(data, posed, on);
            if (s.stillPairs() == 0) {
                // Too few posed frames a second to see anyone still between two of them.
                table.row(rate, 0, "-", "-", "-", s.walkingFrames(), "-", "-");
                continue;
            }
            table.row(
                    rate,
                    s.stillPairs(),
                    String.format(Locale.ROOT, "%.2f / %.2f", 100 * s.rawJitter(), 100 * s.rawJitterMedian()),
                    String.format(
                            Locale.ROOT, "%.2f / %.2f", 100 * s.publishedJitter(), 100 * s.publishedJitterMedian()),
                    pct(1 - s.publishedJitter() / s.rawJitter()),
                    s.walkingFrames(),
                    s.walkingFrames() > 0 ? s.bodyLagMs() : Double.NaN,
                    rate >= footage.videoFps ? String.format(Locale.ROOT, "%.0f", s.limbLagMs()) : "-");
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Keypoint smoothing (defaults: One-Euro on the offsets from the measured body position, min cutoff "
                        + "%.1f Hz, beta %.1f, a jump over %.2f body heights held once). Jitter: mean (and median) "
                        + "frame-to-frame displacement of the confident keypoints of people standing still (torso "
                        + "under %.1f heights/s), in %% of body height, as detected and as published. Body lag: how far "
                        + "behind the detected pose the published one is drawn along the walking direction (people "
                        + "over 0.4 heights/s), as time. Limb lag: delay of the published wrists and ankles relative to "
                        + "the torso (best alignment, full frame rate only).%n",
                on.smoothingMinCutoffHz(),
                on.smoothingBeta(),
                on.smoothingOutlier(),
                0.1);
        table.print(System.out);
    }

    private static void row(BenchTable table, String name, FootageStatistics.Quantiles q, double scale, String scene) {
        table.row(
                name,
                q.p5() * scale,
                q.p10() * scale,
                q.p25() * scale,
                q.p50() * scale,
                q.p75() * scale,
                q.p90() * scale,
                q.p95() * scale,
                scene);
    }

    private static String pct(double share) {
        return share < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
