package io.posestream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A browser that reads slowly gets the latest state per key, never a growing queue. */
class ConflatingChannelTest {
    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> messages) {
        return messages.stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aSlowReaderGetsOnlyTheLatestMessageOfEachKey() throws Exception {
        EventHub hub = new EventHub();
        ConflatingChannel slow = hub.connect();
        for (int seq = 0; seq < 1000; seq++) {
            hub.publish("tile/a", "tile", "{\"seq\":" + seq + "}");
            hub.publish("tile/b", "tile", "{\"seq\":" + (seq * 2) + "}");
        }
        assertThat(slow.waiting()).isEqualTo(2);
        assertThat(strings(slow.take(0)))
                .containsExactly("event: tile\ndata: {\"seq\":999}\n\n", "event: tile\ndata: {\"seq\":1998}\n\n");
        assertThat(slow.replaced()).isEqualTo(1998);
        assertThat(slow.take(0)).isEmpty();
    }

    @Test
    void aNewBrowserStartsFromTheLatestStateAndANewerMessageWinsOverTheSnapshot() throws Exception {
        EventHub hub = new EventHub();
        hub.publish("tile/a", "tile", "{\"seq\":1}");
        hub.publish("counters", "counters", "{\"frames\":1}");
        ConflatingChannel late = hub.connect();
        hub.publish("tile/a", "tile", "{\"seq\":2}");

        assertThat(strings(late.take(0)))
                .containsExactlyInAnyOrder(
                        "event: tile\ndata: {\"seq\":2}\n\n", "event: counters\ndata: {\"frames\":1}\n\n");
    }

    @Test
    void closingWakesTheWaitingReader() throws Exception {
        ConflatingChannel channel = new ConflatingChannel();
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.close();
        });
        closer.start();
        assertThat(channel.take(60_000)).isEmpty();
        assertThat(channel.isClosed()).isTrue();
        channel.offer("k", text("ignored after close"));
        assertThat(channel.waiting()).isZero();
        closer.join();
    }
}
