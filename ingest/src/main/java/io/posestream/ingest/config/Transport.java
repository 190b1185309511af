package io.posestream.ingest.config;

/** RTSP lower transport; TCP (interleaved) by default because it survives NAT and loses no packets. */
public enum Transport {
    TCP,
    UDP;

    /** The value of FFmpeg's {@code rtsp_transport} option. */
    public String ffmpegName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
