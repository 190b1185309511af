package io.posestream.app.resilience;

import io.posestream.faults.PosestreamLauncher;
import io.posestream.faults.ServiceProcess;
import io.posestream.models.pretrained.HumanModelsPackage;
import io.posestream.models.pretrained.ModelPreparer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code posestream} commands as child processes of a test, with the production logging. */
final class Services {
    /** Shared with the other app tests: prepared once per build. */
    static final Path MODELS = Path.of("target", "demo-models").toAbsolutePath();

    static final PosestreamLauncher LAUNCHER = PosestreamLauncher.ofClassPath(System.getProperty("java.class.path"));

    private Services() {}

    static void prepareModels() {
        try {
            new ModelPreparer(MODELS, HumanModelsPackage.fromPath()).prepare();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code posestream ARGS} as a child process with a small heap, its console copied to {@code logDir/name.log}. */
    static ServiceProcess process(String name, Path logDir, int metricsPort, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--metrics-port", Integer.toString(metricsPort), "--metrics-address", "127.0.0.1"));
        int heap = name.equals("infer") ? 768 : name.startsWith("connect") ? 512 : 256;
        return new ServiceProcess(
                name,
                LAUNCHER.command(List.of("-Xmx" + heap + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), all),
                Map.of("TF_CPP_MIN_LOG_LEVEL", "2"),
                logDir.resolve(name + ".log"),
                metricsPort);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
