package io.posestream.ingest;

/** Where a camera is; exported as the {@code posestream_ingest_camera_state} gauge (1 for the current state). */
public enum CameraState {
    /** Opening the stream or file. */
    CONNECTING,
    /** Decoding and publishing frames. */
    STREAMING,
    /** Waiting for the next connection attempt after a failure or a lost stream. */
    BACKOFF,
    /** A file without {@code loop} reached its end. */
    FINISHED,
    /** Will not be retried: bad URL, missing file, unsupported codec. */
    FAILED,
    /** Stopped by the operator. */
    STOPPED
}
