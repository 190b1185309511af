package io.posestream.tracker.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posestream.tracker.core.Assignment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detections' limit for a tracker: every detection that shows a ground-truth person, published with that
 * person's id, and the rest (clutter, false positives) dropped. A tracker that reports only the detections it matched
 * cannot score above it; one that also reports people through frames where the detector missed them (at a
 * prediction) can. A detection shows a person when at least half of the person's visible joints lie within the
 * evaluator's threshold of the detection's confident ones ({@link TrackingEvaluator#personCost}); the most joints
 * win, one detection per person.
 */
public final class PerfectAssociation {
    private final TrackingEvaluator evaluator;

    public PerfectAssociation(TrackingEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** The ground-truth id each of one frame's detections shows, -1 for none. */
    public long[] label(List<ObjectNode> detections, List<ObjectNode> truths) {
        long[] person = new long[detections.size()];
        Arrays.fill(person, -1);
        if (detections.isEmpty() || truths.isEmpty()) {
            return person;
        }
        double[][] cost = new double[truths.size()][detections.size()];
        for (int g = 0; g < truths.size(); g++) {
            for (int d = 0; d < detections.size(); d++) {
                cost[g][d] = evaluator.personCost(truths.get(g), "truth " + g, detections.get(d), "detection " + d);
            }
        }
        for (Assignment.Pair pair : Assignment.solveMaxCardinality(cost)) {
            person[pair.column()] = truths.get(pair.row()).path("track_id").asLong();
        }
        return person;
    }

    /** {@code detections} with every detection of a person under that person's id and the others left out. */
    public PoseTrackData of(PoseTrackData groundTruth, PoseTrackData detections, double fps) {
        Map<Long, List<ObjectNode>> truthsByImage = new HashMap<>();
        groundTruth
                .videos()
                .values()
                .forEach(frames -> frames.forEach(f -> truthsByImage.put(f.imageId(), f.annotations())));
        List<ObjectNode> identified = new ArrayList<>();
        for (List<PoseTrackData.FrameRecord> video : detections.videos().values()) {
            for (PoseTrackData.FrameRecord frame : video) {
                List<ObjectNode> annotations = frame.annotations();
                long[] person = label(annotations, truthsByImage.getOrDefault(frame.imageId(), List.of()));
                for (int d = 0; d < annotations.size(); d++) {
                    if (person[d] >= 0) {
                        identified.add(annotations.get(d).deepCopy().put("track_id", person[d]));
                    }
                }
            }
        }
        return detections.withAnnotations(identified, fps);
    }
}
