package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Fair batches over the partitions, order kept within each, free items riding along. */
class PendingFramesTest {
    private static final TopicPartition P0 = new TopicPartition("frames", 0);
    private static final TopicPartition P1 = new TopicPartition("frames", 1);

    /** A record of {@code partition} at {@code offset}; "free" items are marked by a null frame. */
    private static Arrival arrival(TopicPartition partition, long offset, boolean free) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0], new byte[0]);
        return new Arrival(record, offset, null, free ? "free" : null);
    }

    private static List<String> names(List<Arrival> batch) {
        return batch.stream()
                .map(a -> a.record().partition() + "@" + a.record().offset())
                .toList();
    }

    @Test
    void aBacklogOnOnePartitionDoesNotStarveAnother() {
        PendingFrames pending = new PendingFrames();
        for (long offset = 0; offset < 20; offset++) {
            pending.add(arrival(P0, offset, false));
        }
        pending.add(arrival(P1, 0, false));
        pending.add(arrival(P1, 1, false));

        List<Arrival> first = pending.take(4, a -> false, false).items();

        assertThat(names(first)).containsExactlyInAnyOrder("0@0", "1@0", "0@1", "1@1");
        assertThat(pending.size()).isEqualTo(18);
        assertThat(pending.size(P1)).isZero();
        assertThat(names(pending.take(3, a -> false, false).items())).containsExactly("0@2", "0@3", "0@4");
    }

    @Test
    void orderWithinAPartitionIsKeptAndTheFirstPartitionRotates() {
        PendingFrames pending = new PendingFrames();
        for (long offset = 0; offset < 4; offset++) {
            pending.add(arrival(P0, offset, false));
            pending.add(arrival(P1, offset, false));
        }
        List<String> first = names(pending.take(2, a -> false, false).items());
        List<String> second = names(pending.take(2, a -> false, false).items());

        assertThat(first).hasSize(2).contains("0@0", "1@0");
        assertThat(second).hasSize(2).contains("0@1", "1@1");
        assertThat(first.get(0).charAt(0)).isNotEqualTo(second.get(0).charAt(0));
    }

    @Test
    void freeItemsAtTheHeadRideAlongWithoutUsingTheBudget() {
        PendingFrames pending = new PendingFrames();
        pending.add(arrival(P0, 0, true));
        pending.add(arrival(P0, 1, true));
        pending.add(arrival(P0, 2, false));
        pending.add(arrival(P0, 3, false));

        List<Arrival> batch =
                pending.take(1, a -> a.unreadable() != null, false).items();

        assertThat(names(batch)).containsExactly("0@0", "0@1", "0@2");
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void droppedPartitionsAreForgottenAndTheOldestArrivalFollows() {
        PendingFrames pending = new PendingFrames();
        pending.add(arrival(P0, 5, false));
        pending.add(arrival(P1, 9, false));
        assertThat(pending.oldestArrival()).isEqualTo(5);

        assertThat(pending.drop(Set.of(P0))).isEqualTo(1);

        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.oldestArrival()).isEqualTo(9);
        pending.take(1, a -> false, false);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.oldestArrival()).isEqualTo(Long.MAX_VALUE);
    }

    /** A frame of {@code camera} at {@code offset} of {@code partition}. */
    private static Arrival frame(TopicPartition partition, long offset, String camera) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0], new byte[0]);
        Frame frame = Frame.newBuilder()
                .setCameraId(camera)
                .setSeq(offset)
                .setCaptureTime(Instant.ofEpochMilli(0))
                .setPts(-1)
                .setWidth(1)
                .setHeight(1)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(new byte[0]))
                .build();
        return new Arrival(record, offset, frame, null);
    }

    @Test
    void latestOnlyPosesEachCamerasNewestFrameAndAnswersTheOlderOnesInOrder() {
        PendingFrames pending = new PendingFrames();
        // Three cameras sharing a partition, three frames each, interleaved as Kafka keeps them.
        for (long offset = 0; offset < 9; offset++) {
            pending.add(frame(P0, offset, "cam" + (offset % 3)));
        }
        pending.add(frame(P1, 0, "solo"));

        PendingFrames.Batch batch = pending.take(8, a -> false, true);

        assertThat(names(batch.items()))
                .containsExactlyInAnyOrder("0@0", "0@1", "0@2", "0@3", "0@4", "0@5", "0@6", "0@7", "0@8", "1@0");
        List<String> partition0 =
                names(batch.items()).stream().filter(n -> n.startsWith("0@")).toList();
        assertThat(partition0).isSorted();
        assertThat(names(List.copyOf(batch.superseded())))
                .containsExactlyInAnyOrder("0@0", "0@1", "0@2", "0@3", "0@4", "0@5");
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void withoutLatestOnlyEveryFrameIsPosedInOrder() {
        PendingFrames pending = new PendingFrames();
        for (long offset = 0; offset < 4; offset++) {
            pending.add(frame(P0, offset, "cam"));
        }
        PendingFrames.Batch batch = pending.take(2, a -> false, false);

        assertThat(names(batch.items())).containsExactly("0@0", "0@1");
        assertThat(batch.superseded()).isEmpty();
    }

    @Test
    void latestOnlyGivesCamerasSharingAPartitionTheirTurnsAsCamerasAlone() {
        PendingFrames pending = new PendingFrames();
        Map<String, Integer> posed = new HashMap<>();
        long[] offsets = new long[2];
        // Three cameras on partition 0, one alone on partition 1; one frame each arrives per round, one is posed.
        for (int round = 0; round < 40; round++) {
            for (String camera : List.of("cam1", "cam3", "cam4")) {
                pending.add(frame(P0, offsets[0]++, camera));
            }
            pending.add(frame(P1, offsets[1]++, "cam2"));
            PendingFrames.Batch batch = pending.take(1, a -> false, true);
            assertThat(batch.budgeted()).hasSize(1);
            batch.budgeted().forEach(a -> posed.merge(a.frame().getCameraId(), 1, Integer::sum));
            List<Long> partition0 = batch.items().stream()
                    .filter(a -> a.record().partition() == 0)
                    .map(a -> a.record().offset())
                    .toList();
            assertThat(partition0).isSorted();
        }
        assertThat(posed).containsOnlyKeys("cam1", "cam2", "cam3", "cam4");
        assertThat(posed.values()).allSatisfy(n -> assertThat(n).isEqualTo(10));
    }

    @Test
    void latestOnlyPassesOverAnotherCamerasNewestFrameAheadOfTheChosenOne() {
        PendingFrames pending = new PendingFrames();
        pending.add(frame(P0, 0, "cam1"));
        pending.take(1, a -> false, true); // cam1 had its turn
        pending.add(frame(P0, 1, "cam1"));
        pending.add(frame(P0, 2, "cam3"));
        pending.add(frame(P0, 3, "cam1"));

        PendingFrames.Batch batch = pending.take(1, a -> false, true);

        assertThat(names(batch.budgeted())).containsExactly("0@2");
        assertThat(names(batch.items())).containsExactly("0@1", "0@2");
        assertThat(names(List.copyOf(batch.superseded()))).containsExactly("0@1");
        assertThat(batch.passedOver()).isEmpty();
        assertThat(pending.size()).isEqualTo(1);

        // Now cam3 was posed last: cam1's newest goes first, and cam3's newest ahead of it is passed over.
        pending.add(frame(P0, 4, "cam3"));
        pending.add(frame(P0, 5, "cam1"));
        pending.add(frame(P0, 6, "cam4"));
        PendingFrames.Batch next = pending.take(1, a -> false, true);
        assertThat(names(next.budgeted())).containsExactly("0@6");
        assertThat(names(next.items())).containsExactly("0@3", "0@4", "0@5", "0@6");
        assertThat(names(List.copyOf(next.superseded()))).containsExactly("0@3");
        assertThat(next.passedOver().keySet().stream().map(a -> a.record().offset()))
                .containsExactlyInAnyOrder(4L, 5L);
        assertThat(next.passedOver().values()).containsOnly("cam4");
        assertThat(pending.isEmpty()).isTrue();
    }
}
