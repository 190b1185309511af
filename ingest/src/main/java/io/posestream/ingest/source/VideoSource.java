package io.posestream.ingest.source;

import io.posestream.ingest.config.CameraConfig;
import io.posestream.ingest.config.CameraUrls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One open connection to a camera (or one pass over a file), decoded by FFmpeg through JavaCV into BGR frames.
 * Network sources always get FFmpeg's {@code timeout} so a frozen server cannot block a grab forever; downscaling
 * to the camera's max width happens in swscale's colour conversion, in the same pass. Not thread-safe: one camera
 * thread opens, grabs and closes it.
 */
public final class VideoSource implements AutoCloseable {
    /** Probing small: the RTSP SDP already carries the codec parameters, so the first frame comes quickly. */
    static final String RTSP_ANALYZE_DURATION_MICROS = "100000";

    static final String RTSP_PROBE_SIZE_BYTES = "32768";
    /** The FFmpeg error code in JavaCV's exception messages ("... error -111: ..."). */
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+):");

    private final FFmpegFrameGrabber grabber;
    private final CameraUrls.Source source;
    private final String codec;
    private final int sourceWidth;
    private final int sourceHeight;
    private final double frameRate;

    private VideoSource(FFmpegFrameGrabber grabber, CameraUrls.Source source) {
        this.grabber = grabber;
        this.source = source;
        this.codec = grabber.getVideoCodecName();
        this.sourceWidth = grabber.getImageWidth();
        this.sourceHeight = grabber.getImageHeight();
        this.frameRate = grabber.getVideoFrameRate();
    }

    /** Opens the source and its video decoder; errors are masked and say whether a retry can help. */
    public static VideoSource open(CameraUrls.Source source, CameraConfig camera) throws SourceException {
        FfmpegLog.install();
        FfmpegLog.addSecrets(source.secrets());
        if (!source.live()) {
            Path path = Path.of(source.input());
            if (!Files.exists(path)) {
                throw new SourceException("file " + source.display() + " does not exist", true);
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new SourceException("file " + source.display() + " is not a readable file", true);
            }
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.input());
        if (source.live()) {
            grabber.setFormat("rtsp");
            grabber.setOption("rtsp_transport", camera.transport().ffmpegName());
            grabber.setOption("timeout", Long.toString(camera.timeout().toNanos() / 1000));
            grabber.setOption("analyzeduration", RTSP_ANALYZE_DURATION_MICROS);
            grabber.setOption("probesize", RTSP_PROBE_SIZE_BYTES);
            grabber.setOption("allowed_media_types", "video");
        }
        grabber.setVideoOption(
                "threads", camera.decoderThreads() == 0 ? "auto" : Integer.toString(camera.decoderThreads()));
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            String message = describe(e, source);
            if (!source.live() && message.contains("Did not find a video or audio stream")) {
                message = explainNoDecodableVideo(source);
            }
            if (credentialsRefused(message)) {
                // Retrying cannot help (the password is read once) and many cameras lock an account, or the
                // client's address, after a few failed logins: fail at once and say what to fix.
                throw new SourceException(
                        "credentials refused by " + source.display() + ": check username and password (" + message
                                + ")",
                        true);
            }
            throw new SourceException(message, !source.live() || unsupported(message));
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new SourceException("no video stream in " + source.display(), true);
        }
        VideoSource opened = new VideoSource(grabber, source);
        opened.scaleTo(camera.maxWidth());
        return opened;
    }

    private void scaleTo(int maxWidth) {
        if (maxWidth > 0 && sourceWidth > maxWidth) {
            int height = (int) Math.round((double) sourceHeight * maxWidth / sourceWidth);
            grabber.setImageWidth(maxWidth);
            grabber.setImageHeight(Math.max(2, height + (height & 1)));
            grabber.setImageScalingFlags(swscale.SWS_AREA);
        }
    }

    /** The next video frame, or null at the end of the stream (for a live source: closed or timed out). */
    public DecodedFrame grab() throws SourceException {
        long start = System.nanoTime();
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("grab failed on " + source.display() + ": " + describe(e, source), false);
        }
        long decodeNanos = System.nanoTime() - start;
        if (frame == null || frame.image == null) {
            return null;
        }
        boolean damaged = frame.opaque instanceof AVFrame picture
                && (picture.decode_error_flags() != 0 || (picture.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0);
        long pts = frame.timestamp == avutil.AV_NOPTS_VALUE ? -1 : frame.timestamp;
        return new DecodedFrame(frame, pts, System.currentTimeMillis(), decodeNanos, damaged);
    }

    public String codec() {
        return codec;
    }

    public int sourceWidth() {
        return sourceWidth;
    }

    public int sourceHeight() {
        return sourceHeight;
    }

    /** Width of the frames {@link #grab()} returns. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Height of the frames {@link #grab()} returns. */
    public int height() {
        return grabber.getImageHeight();
    }

    /** The stream's frame rate as FFmpeg reports it (0 when unknown). */
    public double frameRate() {
        return frameRate;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Closing a half-open grabber can fail; nothing is left to release that a retry would.
        }
    }

    /** The server answered 401 Unauthorized or 403 Forbidden: FFmpeg's own words for those HTTP/RTSP codes. */
    static boolean credentialsRefused(String message) {
        return message.contains("401 Unauthorized") || message.contains("403 Forbidden");
    }

    private static boolean unsupported(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("avcodec_find_decoder")
                || lower.contains("did not find a video")
                || lower.contains("could not open video codec")
                || lower.contains("no video stream");
    }

    /**
     * JavaCV only says it found no stream it can decode; open the file once more to tell an operator whether the
     * video stream is missing or its codec has no decoder.
     */
    private static String explainNoDecodableVideo(CameraUrls.Source source) {
        AVFormatContext context = new AVFormatContext(null);
        if (avformat.avformat_open_input(context, source.input(), null, null) < 0) {
            return "no decodable video stream in " + source.display();
        }
        try {
            avformat.avformat_find_stream_info(context, (PointerPointer<?>) null);
            for (int i = 0; i < context.nb_streams(); i++) {
                AVCodecParameters parameters = context.streams(i).codecpar();
                if (parameters.codec_type() == avutil.AVMEDIA_TYPE_VIDEO
                        && avcodec.avcodec_find_decoder(parameters.codec_id()) == null) {
                    return "unsupported codec: FFmpeg has no decoder for video stream #" + i + " of "
                            + source.display() + " (codec "
                            + avcodec.avcodec_get_name(parameters.codec_id()).getString()
                            + ", FourCC '" + fourcc(parameters.codec_tag()) + "')";
                }
            }
            return "no video stream in " + source.display();
        } finally {
            avformat.avformat_close_input(context);
        }
    }

    private static String fourcc(int tag) {
        StringBuilder text = new StringBuilder();
        for (int shift = 0; shift < 32; shift += 8) {
            char c = (char) ((tag >>> shift) & 0xff);
            text.append(c >= 32 && c < 127 ? c : '?');
        }
        return text.toString();
    }

    private static String errorText(int code) {
        byte[] buffer = new byte[256];
        if (avutil.av_strerror(code, buffer, buffer.length) < 0) {
            return "FFmpeg error " + code;
        }
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }

    /** The exception's message in operator words, masked; JavaCV's hint about FFmpegLogCallback is dropped. */
    private static String describe(Throwable e, CameraUrls.Source source) {
        String message = String.valueOf(e.getMessage())
                .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .replace(" (Has setFormat() been called?)", "");
        Matcher code = ERROR_CODE.matcher(message);
        if (code.find()) {
            // FFmpeg's own words for the error code ("Connection refused", "Server returned 404 Not Found").
            message = message + " (" + errorText(Integer.parseInt(code.group(1))) + ")";
        }
        if (message.contains("avcodec_find_decoder")) {
            message = "unsupported codec: FFmpeg has no decoder for the video stream (" + message + ")";
        }
        return source.redact(message);
    }
}
