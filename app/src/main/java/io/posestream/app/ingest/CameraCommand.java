package io.posestream.app.ingest;

import io.posestream.cli.Foreground;
import io.posestream.ingest.camera.SampleRtspCamera;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code posestream camera}: camera tools; {@code serve} runs the sample RTSP camera. */
@Command(
        name = "camera",
        mixinStandardHelpOptions = true,
        description = "Camera tools.",
        subcommands = {CameraCommand.Serve.class})
public final class CameraCommand {

    /** {@code posestream camera serve}: a video file over real RTSP until Ctrl-C. */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Serve a video over real RTSP (GStreamer RTSP server, x264), looping at its native rate, "
                    + "and print the URL(s). The default video is vtest.avi (pedestrians, 768x576, 10 fps) from "
                    + "Debian's opencv-doc package. Runs until Ctrl-C.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--video", paramLabel = "FILE", description = "Video file (default: ${DEFAULT-VALUE}).")
        Path video = SampleRtspCamera.DEFAULT_VIDEO;

        @Option(
                names = "--port",
                description = "RTSP port; 0 = any free port (default: ${DEFAULT-VALUE}).",
                defaultValue = "8554")
        int port;

        @Option(names = "--path", description = "Mount path (default: ${DEFAULT-VALUE}).", defaultValue = "cam1")
        String path;

        @Option(
                names = "--paths",
                paramLabel = "N",
                description = "Serve N paths, cam1..camN, each starting at a "
                        + "different point of the video (default: ${DEFAULT-VALUE}).",
                defaultValue = "1")
        int paths;

        @Option(
                names = "--address",
                description = "Address to listen on; 0.0.0.0 for other machines " + "(default: ${DEFAULT-VALUE}).",
                defaultValue = "127.0.0.1")
        String address;

        @Override
        public Integer call() throws Exception {
            SampleRtspCamera camera = new SampleRtspCamera(video, address, port, path, paths).start();
            camera.urls().forEach(System.out::println);
            System.out.flush();
            boolean[] died = new boolean[1];
            Foreground.run(camera, () -> died[0] = !camera.running());
            if (died[0]) {
                System.err.println("posestream camera serve: the RTSP server exited");
                return 1;
            }
            return 0;
        }
    }
}
