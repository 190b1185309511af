package io.posestream.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans the dashboard's messages out to every connected browser. Each message is formatted once as a server-sent
 * event and kept as the latest of its key, so a browser that connects gets the current state at once; each
 * browser has its own {@link ConflatingChannel}, so a slow one only ever falls behind by one state per key.
 */
final class EventHub {
    private final Map<String, byte[]> latest = new ConcurrentHashMap<>();
    private final Set<ConflatingChannel> channels = ConcurrentHashMap.newKeySet();

    /** Sends {@code json} as SSE event {@code event} under {@code key} (the unit of conflation). */
    void publish(String key, String event, String json) {
        byte[] message = ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        latest.put(key, message);
        for (ConflatingChannel channel : channels) {
            channel.offer(key, message);
        }
    }

    /** A channel for a newly connected browser, primed with the latest message of every key. */
    ConflatingChannel connect() {
        ConflatingChannel channel = new ConflatingChannel();
        // Registered before priming: a message published meanwhile wins over the snapshot's older one.
        channels.add(channel);
        latest.forEach(channel::offerIfAbsent);
        return channel;
    }

    void disconnect(ConflatingChannel channel) {
        channels.remove(channel);
        channel.close();
    }

    int clients() {
        return channels.size();
    }

    /** Closes every channel, so the threads serving browsers return. */
    void closeAll() {
        for (ConflatingChannel channel : channels) {
            disconnect(channel);
        }
    }
}
