package io.posestream.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small TCP proxy on 127.0.0.1 between one service and the broker, so faults can be put on one service's link:
 * {@link #cut()} closes every connection and refuses new ones (as a firewall rejecting the broker's port would) until
 * {@link #restore()}; {@link #latency(Duration)} delays every chunk in both directions, keeping order and throughput
 * (a slow network or a slow broker).
 */
public final class TcpProxy implements AutoCloseable {
    private static final byte[] END = new byte[0];

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile long latencyNanos;
    private volatile boolean closed;

    /**
     * @param name       for thread names, e.g. {@code ingest}
     * @param listenPort the port clients connect to (0: any free one)
     * @param targetPort the broker's port for this client
     */
    public TcpProxy(String name, int listenPort, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Proxy " + name + " cannot listen on 127.0.0.1:" + listenPort, e);
        }
        Thread acceptor = new Thread(this::accept, "proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
    }

    /** Lets connections through again, without added latency. */
    public void restore() {
        latencyNanos = 0;
        cut = false;
    }

    /** Delays each chunk by {@code latency} in each direction (a round trip gains twice that). */
    public void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream, "up");
                pipe(upstream, client, "down");
            } catch (IOException e) {
                closeQuietly(client); // broker not there: the client sees a closed connection, as it would
            }
        }
    }

    /** Copies {@code from} to {@code to}, each chunk held back by the latency of the moment it was read. */
    private void pipe(Socket from, Socket to, String direction) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            queue.put(new Object[] {System.nanoTime() + latencyNanos, Arrays.copyOf(buffer, n)});
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed
                    } finally {
                        queue.add(new Object[] {0L, END});
                    }
                },
                "proxy-" + name + "-" + direction + "-read");
        Thread writer = new Thread(
                () -> {
                    try (OutputStream out = to.getOutputStream()) {
                        while (true) {
                            Object[] chunk = queue.take();
                            byte[] bytes = (byte[]) chunk[1];
                            if (bytes == END) {
                                break;
                            }
                            long wait = (Long) chunk[0] - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            out.write(bytes);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "proxy-" + name + "-" + direction + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(TcpProxy::closeQuietly);
    }
}
