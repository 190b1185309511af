package io.posestream.bench;

import io.posestream.cli.ModelsDirOption;
import io.posestream.ingest.camera.SampleRtspCamera;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import io.posestream.tracker.eval.PoseTrackData;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The footage a benchmark replays: the default models' detections on every frame of a video, or a detections file
 * saved by {@code bench footage --save-detections}. Shared by {@code bench footage} and {@code bench analyze}.
 */
final class FootageSource {
    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "Video file (default: the sample camera's vtest.avi).")
    Path video = SampleRtspCamera.DEFAULT_VIDEO;

    @Option(
            names = "--video-fps",
            defaultValue = "10",
            description = "Frame rate of the video (default: ${DEFAULT-VALUE}).")
    double videoFps;

    @Option(
            names = "--detections",
            paramLabel = "FILE",
            description = "Reuse a detections file written by bench footage --save-detections instead of running "
                    + "the models.")
    Path detections;

    @Mixin
    ModelsDirOption modelsDir;

    /** The first {@code frames} frames' detections: read from the file, else posed now (models prepared first). */
    PoseTrackData load(int frames) throws Exception {
        if (detections != null) {
            System.out.println("Detections from " + detections);
            return PoseTrackData.read(detections, videoFps);
        }
        Path models = modelsDir.resolve();
        new ModelPreparer(models, HumanModelsPackage.fromPath()).prepare();
        long start = System.nanoTime();
        PoseTrackData data = RealDetections.of(video, frames, videoFps, models, System.out);
        System.out.printf(
                Locale.ROOT,
                "Posed %d frames of %s in %.0f s%n",
                data.root().get("images").size(),
                video,
                (System.nanoTime() - start) / 1e9);
        return data;
    }
}
