package io.posestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client of the dashboard's server-sent event stream; reading can start late, to play a slow browser. */
public final class SseStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One server-sent event: its name and its JSON data. */
    public record Event(String name, JsonNode data) {}

    private final InputStream body;
    /** Everything received, in order. */
    private final List<Event> events = new ArrayList<>();

    private volatile boolean closed;
    private Thread reader;

    private SseStream(InputStream body) {
        this.body = body;
    }

    /** Connects to {@code dashboard}'s {@code /events}; nothing is read until {@link #startReading()}. */
    public static SseStream connect(URI dashboard) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(dashboard.resolve("events"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("GET /events answered " + response.statusCode());
        }
        return new SseStream(response.body());
    }

    public SseStream startReading() {
        reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring("data: ".length()));
                } else if (line.isEmpty() && name != null) {
                    Event event = new Event(name, JSON.readTree(data.toString()));
                    synchronized (events) {
                        events.add(event);
                        events.notifyAll();
                    }
                    name = null;
                    data.setLength(0);
                }
            }
        } catch (IOException e) {
            // stream closed
        }
    }

    /** The first event received so far, or until {@code timeout}, that matches {@code wanted}. */
    public Event await(String what, Predicate<Event> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Event event : events) {
                    if (wanted.test(event)) {
                        return event;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("No " + what + " on the event stream within " + timeout);
                }
                events.wait(left);
            }
        }
    }

    /** Every event received so far. */
    public List<Event> received() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        body.close();
    }
}
