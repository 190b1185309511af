package io.posestream.connect.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads a connector's cameras over its tasks: as many tasks as {@code tasks.max} allows and cameras need, cameras
 * dealt round-robin in the order listed, so task sizes differ by at most one. Connect then balances the tasks over
 * the workers; with one camera per task ({@code tasks.max} >= cameras) each camera is placed, moved and reported on
 * its own.
 */
public final class CameraAssignment {
    private CameraAssignment() {}

    /** The cameras of each task; never an empty task. */
    public static List<List<String>> spread(List<String> cameraIds, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("tasks.max must be >= 1, got " + maxTasks);
        }
        int tasks = Math.min(maxTasks, cameraIds.size());
        List<List<String>> assignment = new ArrayList<>();
        for (int task = 0; task < tasks; task++) {
            assignment.add(new ArrayList<>());
        }
        for (int i = 0; i < cameraIds.size(); i++) {
            assignment.get(i % tasks).add(cameraIds.get(i));
        }
        return assignment.stream().map(List::copyOf).toList();
    }
}
