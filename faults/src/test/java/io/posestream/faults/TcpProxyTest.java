package io.posestream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a local echo server: it passes bytes, cuts the link and slows it down. */
class TcpProxyTest {
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread copy = new Thread(() -> {
                        try (socket;
                                InputStream in = socket.getInputStream();
                                OutputStream out = socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // closed
                        }
                    });
                    copy.setDaemon(true);
                    copy.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = new TcpProxy("test", 0, echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void aCutClosesOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");
            proxy.cut();
            assertThat(ended(client)).as("the open connection ends").isTrue();
        }
        try (Socket refused = connect()) {
            assertThat(ended(refused)).as("a new connection is closed at once").isTrue();
        }
        proxy.restore();
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "after")).isEqualTo("after");
        }
    }

    @Test
    void latencyHoldsEachChunkBackInEachDirection() throws IOException {
        proxy.latency(Duration.ofMillis(150));
        try (Socket client = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(client, "slow")).isEqualTo("slow");
            // A lower bound only: the bytes cannot come back before both delays have passed.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    /** True when the other side closed (end of stream) or reset the connection. */
    private static boolean ended(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        client.getOutputStream().write(text.getBytes());
        client.getOutputStream().flush();
        byte[] back = client.getInputStream().readNBytes(text.length());
        return new String(back);
    }
}
