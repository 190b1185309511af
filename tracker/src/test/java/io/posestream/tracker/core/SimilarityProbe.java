package io.posestream.tracker.core;

import java.util.List;

/** Why a track and a detection were or were not paired (a development aid for TrackingDiagnosis). */
public final class SimilarityProbe {
    private SimilarityProbe() {}

    /** The motion filter's state. */
    public static String state(Track t) {
        return String.format(
                "x=%.0f y=%.0f h=%.1f vx=%.1f vy=%.1f vh=%.1f sdx=%.1f",
                t.motion.mean[0],
                t.motion.mean[1],
                t.motion.mean[2],
                t.motion.mean[3],
                t.motion.mean[4],
                t.motion.mean[5],
                Math.sqrt(t.motion.cov[0]));
    }

    /** For every live track: id, phase, misses, squared motion distance, OKS at the prediction, similarity. */
    public static String explain(PoseTracker tracker, long timeMs, Pose detection) {
        KalmanMotion motion = new KalmanMotion(tracker.config());
        StringBuilder out = new StringBuilder();
        List<Track> tracks = tracker.tracks();
        for (Track track : tracks) {
            KalmanMotion.Prediction p = motion.predict(track, timeMs, tracker.predictionHorizonMs());
            double d2 = motion.distance2(track, p, detection);
            Pose expected = track.pose.translate(p.dx(), p.dy());
            double oks = Oks.between(
                    expected, detection, expected.box().area(), tracker.config().keypointThreshold());
            double sim = tracker.similarity(track, p, detection);
            if (d2 < 100 || oks > 0.05) {
                out.append(String.format(
                        " [%d %s miss%d gap%d d2=%.1f oks=%.2f sim=%.2f h=%.0f sd=%.1f]",
                        track.id,
                        track.phase,
                        track.misses,
                        timeMs - track.lastSeenMs,
                        d2,
                        oks,
                        sim,
                        p.h(),
                        Math.sqrt(p.sx())));
            }
        }
        return out.toString();
    }
}
