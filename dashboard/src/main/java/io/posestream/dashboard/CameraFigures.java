package io.posestream.dashboard;

/**
 * What the dashboard shows under one camera's tile, as of one moment. Rates and latencies cover the sliding
 * window ({@code dashboard.figures.window.ms}); a figure that cannot be known yet is -1.
 *
 * @param cameraId           the camera
 * @param fpsIn              frames per second received from the frames topic
 * @param fpsPosed           pose events per second received with frame status POSED
 * @param persons            persons seen (not LOST or REMOVED) in the camera's latest pose event of a posed frame
 * @param latencyP50Ms       median end-to-end latency, capture time to the pose event reaching the dashboard
 * @param latencyP99Ms       99th percentile of the same
 * @param lag                records the dashboard's consumer is behind on this camera's partitions (-1 unknown)
 * @param stale              no frame and no event for longer than {@code dashboard.stale.after.ms}
 * @param silentMs           time since the camera's last frame or event
 * @param shownSeq           seq of the frame on the tile (-1 none yet)
 * @param framesWithoutEvent frames that found no pose event (shown without skeletons, or dropped)
 * @param eventsWithoutFrame pose events whose frame was never seen or no longer waiting
 * @param confirmedShare     share of tracked person-observations in CONFIRMED tracks over the tracks window
 *                           ({@code dashboard.tracks.window.ms}, capture time; see {@link TrackFigures})
 * @param confirmedLifeP50S  median life in seconds of the confirmed tracks that ended in the tracks window
 * @param birthsPerMinute    tracks born per minute over the tracks window
 */
public record CameraFigures(
        String cameraId,
        double fpsIn,
        double fpsPosed,
        int persons,
        double latencyP50Ms,
        double latencyP99Ms,
        long lag,
        boolean stale,
        long silentMs,
        long shownSeq,
        long framesWithoutEvent,
        long eventsWithoutFrame,
        double confirmedShare,
        double confirmedLifeP50S,
        double birthsPerMinute) {}
