package io.posestream.inference.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Records read but not yet answered, one queue per partition in offset order, and the batches drawn from them.
 *
 * <p>With latest-only, a frame whose camera has a newer frame waiting in the same queue is superseded: it is
 * answered without posing, so a worker that is behind poses each camera's newest frame instead of its oldest.
 *
 * <p>A batch takes frames from the partitions in turn (the first partition rotating from batch to batch), so a
 * partition with a long backlog cannot starve the others: the Kafka consumer hands out records partition by
 * partition, and processing them in that order would pose one partition's backlog while the others' frames go stale.
 * With latest-only the turns are the cameras' (the camera posed longest ago first): cameras are spread over
 * partitions by their key's hash, and turns by partition gave a camera alone on its partition three times the posed
 * frames of three cameras sharing one.
 * Within a partition the order is kept, so each camera's frames are answered in order and the committed offset of a
 * partition always follows an answered prefix. Items that cost nothing to answer (stale frames, unreadable records)
 * are taken without using the batch's budget.
 */
final class PendingFrames {
    private final Map<TopicPartition, ArrayDeque<Arrival>> queues = new LinkedHashMap<>();
    /** Frames waiting per partition and camera, to know at a queue's head whether a newer one follows. */
    private final Map<TopicPartition, Map<String, Integer>> waitingPerCamera = new HashMap<>();

    /** When each camera last had a frame taken to pose (a turn count), for latest-only batches. */
    private final Map<String, Long> lastTurn = new HashMap<>();

    private int size;
    private long turn;

    /**
     * A batch: the records taken, in the order to answer them; those taken on the budget (to be posed); those that a
     * newer frame of the same camera superseded; and those passed over for another camera's turn (each with that
     * camera's id).
     */
    record Batch(
            List<Arrival> items, List<Arrival> budgeted, Set<Arrival> superseded, Map<Arrival, String> passedOver) {}

    void add(Arrival arrival) {
        queues.computeIfAbsent(arrival.partition(), p -> new ArrayDeque<>()).add(arrival);
        if (arrival.frame() != null) {
            waitingPerCamera
                    .computeIfAbsent(arrival.partition(), p -> new HashMap<>())
                    .merge(arrival.frame().getCameraId(), 1, Integer::sum);
        }
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Records waiting from {@code partition}. */
    int size(TopicPartition partition) {
        ArrayDeque<Arrival> queue = queues.get(partition);
        return queue == null ? 0 : queue.size();
    }

    /** When the longest-waiting record arrived, or {@code Long.MAX_VALUE} when nothing waits. */
    long oldestArrival() {
        long oldest = Long.MAX_VALUE;
        for (ArrayDeque<Arrival> queue : queues.values()) {
            if (!queue.isEmpty()) {
                oldest = Math.min(oldest, queue.peek().arrivedAt());
            }
        }
        return oldest;
    }

    /**
     * The next batch: at most {@code budget} records to pose for which {@code free} is false, plus every free record
     * met at the head of a queue on the way. Without {@code latestOnly} they are taken one per partition in turn,
     * oldest first. With it, see {@link #takeNewest}.
     */
    Batch take(int budget, Predicate<Arrival> free, boolean latestOnly) {
        Batch batch = latestOnly ? takeNewest(budget, free) : takeInTurn(budget, free);
        size -= batch.items().size();
        return batch;
    }

    private Batch takeInTurn(int budget, Predicate<Arrival> free) {
        List<TopicPartition> partitions = new ArrayList<>(queues.keySet());
        List<TopicPartition> order = new ArrayList<>(partitions.size());
        int start = partitions.isEmpty() ? 0 : Math.floorMod(turn++, partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            order.add(partitions.get((start + i) % partitions.size()));
        }
        List<Arrival> items = new ArrayList<>();
        List<Arrival> budgeted = new ArrayList<>();
        int used = 0;
        boolean took = true;
        while (used < budget && took) {
            took = false;
            for (TopicPartition partition : order) {
                ArrayDeque<Arrival> queue = queues.get(partition);
                while (!queue.isEmpty() && free.test(queue.peek())) {
                    items.add(poll(queue));
                }
                if (used < budget && !queue.isEmpty()) {
                    Arrival next = poll(queue);
                    items.add(next);
                    budgeted.add(next);
                    used++;
                    took = true;
                }
            }
        }
        return new Batch(items, budgeted, Set.of(), Map.of());
    }

    /**
     * Latest-only: the newest waiting frame of up to {@code budget} cameras, those posed longest ago first (cameras
     * never posed before all others), so cameras that share a partition get their turns as cameras of their own do.
     * Each partition is answered in order up to its last chosen frame: older frames of a camera with a newer one
     * waiting are superseded, and the newest frame of a camera not chosen this time that lies ahead of a chosen one
     * is passed over (its camera's next frame has its turn). Free and superseded records at the head ride along.
     */
    private Batch takeNewest(int budget, Predicate<Arrival> free) {
        Map<String, Arrival> newest = new LinkedHashMap<>();
        for (ArrayDeque<Arrival> queue : queues.values()) {
            for (Arrival arrival : queue) {
                if (arrival.frame() != null && !free.test(arrival)) {
                    newest.put(arrival.frame().getCameraId(), arrival);
                }
            }
        }
        List<Arrival> chosen = newest.values().stream()
                .sorted(Comparator.comparingLong((Arrival a) -> lastTurn.getOrDefault(camera(a), -1L))
                        .thenComparingLong(Arrival::arrivedAt))
                .limit(budget)
                .toList();
        chosen.forEach(a -> lastTurn.put(camera(a), turn++));
        Set<Arrival> picked = new HashSet<>(chosen);
        List<Arrival> items = new ArrayList<>();
        List<Arrival> budgeted = new ArrayList<>();
        Set<Arrival> superseded = new HashSet<>();
        Map<Arrival, String> passedOver = new HashMap<>();
        for (ArrayDeque<Arrival> queue : queues.values()) {
            Arrival last = null;
            for (Arrival arrival : queue) {
                if (picked.contains(arrival)) {
                    last = arrival;
                }
            }
            boolean ahead = last != null;
            while (!queue.isEmpty()) {
                Arrival head = queue.peek();
                boolean newerWaits = waitingBehind(head);
                if (picked.contains(head)) {
                    budgeted.add(head);
                } else if (newerWaits && !free.test(head)) {
                    superseded.add(head);
                } else if (ahead && !free.test(head)) {
                    passedOver.put(head, camera(last));
                } else if (!free.test(head)) {
                    break;
                }
                items.add(poll(queue));
                if (head == last) {
                    ahead = false;
                }
            }
        }
        return new Batch(items, budgeted, superseded, passedOver);
    }

    private static String camera(Arrival arrival) {
        return arrival.frame().getCameraId();
    }

    /** True when a newer frame of the head's camera waits in the head's queue. */
    private boolean waitingBehind(Arrival head) {
        return head.frame() != null
                && waitingPerCamera
                                .get(head.partition())
                                .getOrDefault(head.frame().getCameraId(), 0)
                        > 1;
    }

    private Arrival poll(ArrayDeque<Arrival> queue) {
        Arrival arrival = queue.poll();
        if (arrival.frame() != null) {
            waitingPerCamera
                    .get(arrival.partition())
                    .merge(arrival.frame().getCameraId(), -1, (a, b) -> a + b == 0 ? null : a + b);
        }
        return arrival;
    }

    /** Forgets what waits from {@code partitions} (no longer ours, or to be read again); returns how many. */
    int drop(Collection<TopicPartition> partitions) {
        int dropped = 0;
        for (TopicPartition partition : partitions) {
            ArrayDeque<Arrival> queue = queues.remove(partition);
            waitingPerCamera.remove(partition);
            if (queue != null) {
                dropped += queue.size();
            }
        }
        size -= dropped;
        return dropped;
    }
}
